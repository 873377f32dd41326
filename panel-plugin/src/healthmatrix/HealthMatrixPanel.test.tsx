import { act, fireEvent, screen, within } from '@testing-library/react';
import { createDataFrame, FieldType } from '@grafana/data';
import {
  ADOPTION_FIELD_CONFIG,
  drStatusFrame,
  featureAdoptionFrame,
  manyTenants,
  TENANT_LINK,
  tenantHealthFrame,
  wideNumbersFrame,
} from '../testing/fixtures';
import { renderPanel, RenderPanelArgs } from '../testing/render';
import { plugin } from './module';
import { Options } from './types';

function renderHealthMatrixPanel(overrides: Partial<RenderPanelArgs<Options>> = {}, frames = [tenantHealthFrame()]) {
  return renderPanel<Options>({ plugin, frames, width: 760, height: 420, ...overrides });
}

const rowNames = () => screen.getAllByRole('rowheader').map((r) => r.textContent);
const cell = (r: number, c: number) => document.querySelector(`[data-r="${r}"][data-c="${c}"]`) as HTMLElement;

describe('HealthMatrixPanel', () => {
  it('renders tenants x health components, worst first, colors from the thresholds', () => {
    const { theme } = renderHealthMatrixPanel();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'name',
      'score',
      'activity',
      'adoption',
      'payment',
      'support',
    ]);
    expect(screen.getAllByRole('gridcell')).toHaveLength(50);
    expect(rowNames().slice(0, 3)).toEqual(['Globex', 'Cyberdyne', 'Umbrella']);
    expect(cell(0, 3)).toHaveTextContent('0');
    expect(cell(0, 3)).toHaveStyle({ background: theme.visualization.getColorByName('red') });
    expect(cell(0, 3)).toHaveAccessibleName('Globex, payment: 0');
  });

  it('sorts by name and by average when asked', () => {
    renderHealthMatrixPanel({ options: { sortRows: 'name' } });
    expect(rowNames()[0]).toBe('Acme Corp');
    renderHealthMatrixPanel({ options: { sortRows: 'average' } });
    expect(screen.getAllByTestId('matrix-grid')[1].querySelector('[role="rowheader"]')).toHaveTextContent('Globex');
  });

  it('pages the rows and says which rows are shown', () => {
    renderHealthMatrixPanel({ options: { rowLimit: 50 } }, [tenantHealthFrame(manyTenants(120))]);
    expect(screen.getByTestId('matrix-note')).toHaveTextContent('Rows 1–50 of 120, worst first');
    expect(screen.getAllByRole('gridcell')).toHaveLength(250);
    const first = rowNames()[0];
    fireEvent.click(screen.getByRole('button', { name: 'next page' }));
    expect(screen.getByTestId('matrix-note')).toHaveTextContent('Rows 51–100 of 120, worst first');
    expect(rowNames()[0]).not.toBe(first);
  });

  it('has no note and no pager when every row fits the limit', () => {
    renderHealthMatrixPanel();
    expect(screen.queryByTestId('matrix-note')).toBeNull();
    expect(screen.queryByRole('button', { name: 'next page' })).toBeNull();
  });

  it('shows row, column and value on hover, and the data links once a cell is clicked', () => {
    renderHealthMatrixPanel({ fieldConfig: { defaults: { links: [TENANT_LINK] } } });
    fireEvent.mouseMove(cell(0, 1), { clientX: 10, clientY: 10 });
    const tooltip = screen.getByTestId('matrix-tooltip');
    expect(tooltip).toHaveTextContent('Globexactivity35Click for links');
    fireEvent.click(cell(0, 1), { clientX: 10, clientY: 10 });
    const link = within(screen.getByTestId('matrix-tooltip')).getByRole('link');
    expect(link).toHaveAttribute('href', '/d/saasmon-tenant?var-tenant=t-globex');
    expect(link).toHaveTextContent('Tenant Globex');
    // Pinned: moving elsewhere keeps it; Escape closes it.
    fireEvent.mouseMove(cell(2, 2), { clientX: 50, clientY: 50 });
    expect(screen.getByTestId('matrix-tooltip')).toHaveTextContent('Globex');
    act(() => {
      fireEvent.keyDown(document, { key: 'Escape' });
    });
    expect(screen.queryByTestId('matrix-tooltip')).toBeNull();
  });

  it('shows the rest of a long-form data row in the tooltip (a DR check’s value next to its state)', () => {
    renderHealthMatrixPanel({}, [drStatusFrame()]);
    const row = rowNames().indexOf('wal archive lag');
    fireEvent.mouseMove(cell(row, 1), { clientX: 10, clientY: 10 });
    expect(screen.getByTestId('matrix-tooltip')).toHaveTextContent('wal archive lageu-west-1failvalue1.50 hour');
  });

  it('colors DR states by the value mappings and empty pairs in the no-data color', () => {
    const { theme } = renderHealthMatrixPanel({}, [drStatusFrame()]);
    expect(rowNames()[0]).toBe('rto drill');
    expect(cell(0, 0)).toHaveStyle({ background: theme.visualization.getColorByName('red') });
    expect(cell(0, 1)).toHaveAttribute('data-empty', 'true');
    expect(cell(0, 1)).toHaveStyle({ background: theme.colors.background.secondary });
  });

  it('uses the field thresholds in percent of min..max for adoption ratios, values as percent', () => {
    const { theme } = renderHealthMatrixPanel({ fieldConfig: ADOPTION_FIELD_CONFIG, options: { sortRows: 'name' } }, [
      featureAdoptionFrame(),
    ]);
    expect(cell(0, 0)).toHaveTextContent('81%');
    expect(cell(0, 0)).toHaveStyle({ background: theme.visualization.getColorByName('green') });
  });

  it('hides values when asked', () => {
    renderHealthMatrixPanel({ options: { showValues: false } });
    expect(cell(0, 0)).toHaveTextContent('');
  });

  it('renders 2,000 cells', () => {
    renderHealthMatrixPanel({ options: { rowLimit: 0 }, width: 1000, height: 700 }, [wideNumbersFrame(100, 20)]);
    expect(screen.getAllByRole('gridcell')).toHaveLength(2000);
  });

  it('says so when there is no data, an unknown field is chosen or the data has no rows to name', () => {
    renderHealthMatrixPanel({}, []);
    expect(screen.getByTestId('panel-message')).toHaveTextContent('No data');
    renderHealthMatrixPanel({ options: { rowField: 'customer' } });
    expect(screen.getAllByTestId('panel-message')[1]).toHaveTextContent('Field not found: customer');
    const numbers = createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [1] }] });
    renderHealthMatrixPanel({}, [numbers]);
    expect(screen.getAllByTestId('panel-message')[2]).toHaveTextContent('Cannot build a matrix');
  });
});
