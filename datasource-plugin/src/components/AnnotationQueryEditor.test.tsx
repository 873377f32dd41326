import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { DataSource } from '../datasource';
import { SaasmonQuery } from '../types';

async function renderEditor(query: SaasmonQuery) {
  const onChange = jest.fn();
  await act(async () => {
    render(
      <AnnotationQueryEditor
        {...({ query, onChange, onRunQuery: jest.fn(), datasource: {} as DataSource } as unknown as React.ComponentProps<
          typeof AnnotationQueryEditor
        >)}
      />,
    );
  });
  return onChange;
}

it('picks the kinds to show, keeping the services', async () => {
  const onChange = await renderEditor({ refId: 'Anno', queryType: 'annotations', kinds: ['release'], services: ['api'] });
  expect(screen.getByText('Releases')).toBeInTheDocument();
  fireEvent.keyDown(screen.getByLabelText('Show'), { key: 'ArrowDown' });
  fireEvent.click(await screen.findByText('Incidents'));
  expect(onChange).toHaveBeenCalledWith({ refId: 'Anno', queryType: 'annotations', kinds: ['release', 'incident'], services: ['api'] });
});

it('shows everything when no kind is picked, and takes services typed in', async () => {
  const onChange = await renderEditor({ refId: 'Anno', queryType: 'annotations' });
  expect(screen.getByText('Everything')).toBeInTheDocument();
  const services = screen.getByLabelText('Services');
  fireEvent.change(services, { target: { value: 'checkout' } });
  fireEvent.keyDown(services, { key: 'Enter' });
  expect(onChange).toHaveBeenCalledWith({ refId: 'Anno', queryType: 'annotations', services: ['checkout'] });
});
