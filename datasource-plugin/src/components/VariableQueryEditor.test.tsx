import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { VariableQueryEditor } from './VariableQueryEditor';

async function renderEditor(query: unknown) {
  const onChange = jest.fn();
  await act(async () => {
    render(
      <VariableQueryEditor
        {...({ query, onChange, onRunQuery: jest.fn(), datasource: {} } as unknown as React.ComponentProps<typeof VariableQueryEditor>)}
      />,
    );
  });
  return onChange;
}

it('shows a saved { of } query and a saved bare string as their list', async () => {
  await renderEditor({ of: 'segments' });
  expect(screen.getByText('Segments')).toBeInTheDocument();
});

it('shows a bare string query as its list', async () => {
  await renderEditor('channels');
  expect(screen.getByText('Acquisition channels')).toBeInTheDocument();
});

it('saves the picked list with a refId', async () => {
  const onChange = await renderEditor({ refId: 'V', of: 'plans' });
  fireEvent.keyDown(screen.getByLabelText('Values of'), { key: 'ArrowDown' });
  fireEvent.click(await screen.findByText('Experiments'));
  expect(onChange).toHaveBeenCalledWith({ refId: 'V', of: 'experiments' });
});
