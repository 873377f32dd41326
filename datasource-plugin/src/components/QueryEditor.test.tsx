import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DataSourceInstanceSettings } from '@grafana/data';
import { QueryEditor } from './QueryEditor';
import { DataSource } from '../datasource';
import { SaasmonOptions, SaasmonQuery } from '../types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ getVariables: () => [{ name: 'plan' }], replace: (s: string) => s }),
}));

function datasource(values: Record<string, string[]> = {}) {
  const ds = new DataSource({ url: '/api/datasources/proxy/uid/x', jsonData: {} } as DataSourceInstanceSettings<SaasmonOptions>);
  ds.fetchValues = jest.fn(async (of: string) => (values[of] ?? []).map((v) => ({ text: v, value: v })));
  return ds;
}

async function renderEditor(query: SaasmonQuery, ds = datasource()) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  await act(async () => {
    render(<QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={ds} />);
  });
  return { onChange, onRunQuery, ds };
}

it('picks a query type and runs it', async () => {
  const { onChange, onRunQuery } = await renderEditor({ refId: 'A', queryType: 'active_users' });
  fireEvent.keyDown(screen.getByLabelText('Query type'), { key: 'ArrowDown' });
  fireEvent.click(await screen.findByText('Cohort retention'));
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'retention' });
  expect(onRunQuery).toHaveBeenCalled();
});

it('fills the funnel step picker from the exporter event names plus dashboard variables', async () => {
  const { ds } = await renderEditor(
    { refId: 'A', queryType: 'funnel', steps: ['signup'] },
    datasource({ event_names: ['signup', 'project.created'] }),
  );
  await waitFor(() => expect(ds.fetchValues).toHaveBeenCalledWith('event_names'));
  fireEvent.keyDown(screen.getByLabelText('Steps'), { key: 'ArrowDown' });
  expect(await screen.findByText('project.created')).toBeInTheDocument();
  expect(screen.getAllByText('$plan').length).toBeGreaterThan(0);
});

it('does not run a funnel until it has two steps', async () => {
  const { onChange, onRunQuery } = await renderEditor(
    { refId: 'A', queryType: 'funnel' },
    datasource({ event_names: ['signup', 'project.created'] }),
  );
  fireEvent.keyDown(screen.getByLabelText('Steps'), { key: 'ArrowDown' });
  fireEvent.click(await screen.findByText('signup'));
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'funnel', params: { steps: ['signup'] } });
  expect(onRunQuery).not.toHaveBeenCalled();
});

it('shows the retention form: periods, counting mode and return event', async () => {
  const { onChange } = await renderEditor({ refId: 'A', queryType: 'retention' });
  fireEvent.click(screen.getByLabelText('On or after'));
  expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'retention', params: { mode: 'on_or_after' } });
  fireEvent.change(screen.getByPlaceholderText('12'), { target: { value: '8' } });
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'retention', params: { periods: 8 } });
});

it('asks for the experiment and control of an experiment query', async () => {
  await renderEditor({ refId: 'A', queryType: 'experiment' }, datasource({ experiments: ['x1'] }));
  expect(screen.getByLabelText('Experiment')).toBeInTheDocument();
  expect(screen.getByPlaceholderText('control')).toBeInTheDocument();
});

it('offers every query type of the contract and the periods each one takes', async () => {
  await renderEditor({ refId: 'A', queryType: 'mrr_movements' });
  expect(screen.getByLabelText('Week')).toBeInTheDocument();
  expect(screen.queryByLabelText('Day')).not.toBeInTheDocument();
  fireEvent.keyDown(screen.getByLabelText('Query type'), { key: 'ArrowDown' });
  expect(await screen.findByText('Subscribers by plan')).toBeInTheDocument();
  expect(screen.queryByText('Variable values')).not.toBeInTheDocument();
});

it('shows no period for a query type without one', async () => {
  await renderEditor({ refId: 'A', queryType: 'subscribers_by_plan' });
  expect(screen.queryByLabelText('Week')).not.toBeInTheDocument();
  expect(screen.queryByLabelText('Plans')).not.toBeInTheDocument();
});

it('generates the power users form from its contract: share in percent, tenant filters', async () => {
  const { onChange, onRunQuery } = await renderEditor({ refId: 'A', queryType: 'power_users' }, datasource({ tenants: ['t1', 't2'] }));
  const share = screen.getByLabelText('Share (%)');
  expect(share).toHaveAttribute('type', 'number');
  expect(share).toHaveAttribute('max', '100');
  expect(share).toHaveAttribute('placeholder', '10');
  fireEvent.change(share, { target: { value: '5' } });
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'power_users', params: { share: 5 } });
  // Typing does not run; leaving the field does.
  expect(onRunQuery).not.toHaveBeenCalled();
  for (const label of ['Plans', 'Segments', 'Channels', 'Tenants']) expect(screen.getByLabelText(label)).toBeInTheDocument();
  fireEvent.keyDown(screen.getByLabelText('Tenants'), { key: 'ArrowDown' });
  fireEvent.click(await screen.findByText('t2'));
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'power_users', params: { filters: { tenant: ['t2'] } } });
  expect(onRunQuery).toHaveBeenCalled();
});

it('generates the MRR forecast form: months within the schema bounds, the model as buttons', async () => {
  const { onChange, onRunQuery } = await renderEditor({ refId: 'A', queryType: 'mrr_forecast', params: { months: 6 } });
  const months = screen.getByLabelText('Months ahead');
  expect(months).toHaveValue(6);
  expect(months).toHaveAttribute('min', '1');
  expect(months).toHaveAttribute('max', '24');
  fireEvent.click(screen.getByLabelText('Drift'));
  expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'mrr_forecast', params: { months: 6, model: 'drift' } });
  expect(onRunQuery).toHaveBeenCalled();
  expect(screen.queryByLabelText('Plans')).not.toBeInTheDocument();
});

it('shows and edits a query saved with the older fields, moving them into params', async () => {
  const { onChange } = await renderEditor({ refId: 'A', queryType: 'tenant_health', plans: ['pro'], pageSize: 50, page: 3 });
  expect(screen.getByLabelText('Limit')).toHaveValue(50);
  expect(screen.getByLabelText('Offset')).toHaveValue(100);
  expect(screen.getByText('pro')).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText('Limit'), { target: { value: '20' } });
  expect(onChange).toHaveBeenLastCalledWith({
    refId: 'A',
    queryType: 'tenant_health',
    params: { limit: 20, offset: 100, filters: { plan: ['pro'] } },
  });
});

it('needs no form of its own for incidents: services and limit are generated', async () => {
  await renderEditor({ refId: 'A', queryType: 'incidents' });
  expect(screen.getByLabelText('Services')).toBeInTheDocument();
  expect(screen.getByLabelText('Limit')).toHaveAttribute('max', '1000');
});
