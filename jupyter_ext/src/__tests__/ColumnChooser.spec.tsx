/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen } from '@testing-library/react';
import React, { useState } from 'react';

import { IColumnOffer } from '../columnChoice';
import { ColumnChooser } from '../components/ColumnChooser';

jest.mock(
  '@jupyterlab/ui-components',
  () => jest.requireActual('./mocks').uiComponents
);

const offer: IColumnOffer = {
  metrics: ['acc', 'loss'],
  params: ['lr', 'depth'],
  tags: ['stage'],
  attributes: ['hypothesis', 'duration']
};

/** The chooser as RunsView holds it: the choice in state, null meaning the defaults. */
function Harness(props: { onChange: (c: string[] | null) => void }) {
  const defaults = ['metrics.acc', 'attributes.duration'];
  const [chosen, setChosen] = useState<string[] | null>(null);
  return (
    <ColumnChooser
      offer={offer}
      columns={chosen ?? defaults}
      isDefault={chosen === null}
      definitions={{ acc: { goal: 'max', target: null, summary: 'last' } }}
      onChange={columns => {
        setChosen(columns);
        props.onChange(columns);
      }}
    />
  );
}

const box = (id: string): HTMLInputElement =>
  document.querySelector<HTMLInputElement>(`input[data-column="${id}"]`)!;

describe('ColumnChooser', () => {
  it('adds a param column in two clicks', () => {
    const onChange = jest.fn();
    render(<Harness onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Columns' }));
    expect(screen.getByRole('dialog', { name: 'Choose columns' })).toBeTruthy();
    expect(screen.getByText('acc ↑')).toBeTruthy();
    expect(box('metrics.acc').checked).toBe(true);
    expect(box('params.lr').checked).toBe(false);
    fireEvent.click(box('params.lr'));
    expect(onChange).toHaveBeenLastCalledWith([
      'metrics.acc',
      'params.lr',
      'attributes.duration'
    ]);
    expect(box('params.lr').checked).toBe(true);
  });

  it('removes a column and goes back to the defaults', () => {
    const onChange = jest.fn();
    render(<Harness onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Columns' }));
    const defaults = screen.getByRole('button', { name: 'Defaults' });
    expect((defaults as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(box('metrics.acc'));
    expect(onChange).toHaveBeenLastCalledWith(['attributes.duration']);
    fireEvent.click(screen.getByRole('button', { name: 'Defaults' }));
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(box('metrics.acc').checked).toBe(true);
  });

  it('lists every kind and closes on Escape', () => {
    render(<Harness onChange={() => undefined} />);
    const button = screen.getByRole('button', { name: 'Columns' });
    fireEvent.click(button);
    const legends = Array.from(document.querySelectorAll('legend'));
    expect(legends.map(legend => legend.textContent)).toEqual([
      'Metrics',
      'Params',
      'Tags',
      'Attributes'
    ]);
    fireEvent.keyDown(button, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
