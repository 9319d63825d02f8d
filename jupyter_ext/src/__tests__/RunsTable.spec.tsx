/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { RunsTable } from '../components/RunsTable';
import { GroupBy, IRun, IVerdict } from '../tokens';
import { RunPages } from '../pages';
import { FakeClient, makeRun } from './fakes';

jest.mock(
  '@jupyterlab/ui-components',
  () => jest.requireActual('./mocks').uiComponents
);

// jsdom lays nothing out: give the scrolling table a height so the virtual rows render.
beforeAll(() => {
  for (const [key, value] of [
    ['clientHeight', 600],
    ['clientWidth', 280],
    ['offsetHeight', 600],
    ['offsetWidth', 280]
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      value
    });
  }
});

const verdict: IVerdict = {
  label: 'supported',
  weak: false,
  effect: 0.1,
  ci_low: 0.05,
  ci_high: 0.15,
  n_treatment: 3,
  n_baseline: 3,
  treatment_runs: [],
  baseline_runs: [],
  reason: null
};

function renderTable(
  runs: IRun[],
  options: { groupBy?: GroupBy; columns?: string[] } = {}
) {
  const onClick = jest.fn();
  const onOpen = jest.fn();
  render(
    <RunsTable
      runs={runs}
      columns={options.columns ?? ['metrics.acc', 'params.lr']}
      definitions={{ acc: { goal: 'max', target: null, summary: 'last' } }}
      hypothesisLabel={id => `H${id} · statement ${id}`}
      hypothesisVerdict={id => (id === 1 ? verdict : null)}
      sorting={[{ id: 'number', desc: true }]}
      onSortingChange={() => undefined}
      groupBy={options.groupBy ?? 'none'}
      selection={new Set([2])}
      onClick={onClick}
      onSelect={() => undefined}
      onOpen={onOpen}
    />
  );
  return { onClick, onOpen };
}

const rows = (): HTMLElement[] =>
  Array.from(document.querySelectorAll<HTMLElement>('[data-run]'));

describe('RunsTable', () => {
  it('shows status, number, name, then the chosen metric and param columns', () => {
    renderTable([
      makeRun(1, { name: 'a rather long run name that truncates' }),
      makeRun(2)
    ]);
    const headers = screen
      .getAllByRole('columnheader')
      .map(h => h.getAttribute('data-column'));
    expect(headers).toEqual([
      null,
      'status',
      'number',
      'name',
      'metrics.acc',
      'params.lr'
    ]);
    expect(screen.getByRole('columnheader', { name: /acc ↑/ })).toBeTruthy();
    expect(rows().map(r => r.dataset.run)).toEqual(['2', '1']);
    const name = within(rows()[1]).getByTitle(
      'a rather long run name that truncates'
    );
    expect(name.textContent).toBe('a rather long run name that truncates');
    expect(rows()[0].getAttribute('aria-selected')).toBe('true');
  });

  it('opens a run on double-click and reports clicks for selection', () => {
    const { onClick, onOpen } = renderTable([makeRun(1), makeRun(2)]);
    fireEvent.click(rows()[1]);
    expect(onClick).toHaveBeenCalledWith(1, 'single', [2, 1]);
    fireEvent.doubleClick(rows()[0]);
    expect(onOpen).toHaveBeenCalledWith(2);
  });

  it('groups by hypothesis with counts and verdicts, (none) last and folded', () => {
    renderTable(
      [
        makeRun(1, { hypothesis_id: 1 }),
        makeRun(2, { hypothesis_id: 1 }),
        makeRun(3, { hypothesis_id: null })
      ],
      { groupBy: 'hypothesis' }
    );
    const groups = document.querySelectorAll<HTMLElement>(
      '.jp-labtrack-RunsTable-group'
    );
    expect(Array.from(groups).map(g => g.dataset.group)).toEqual([
      'H1 · statement 1',
      '(none)'
    ]);
    expect(groups[0].getAttribute('aria-label')).toBe(
      'H1 · statement 1: 2 runs, supported'
    );
    expect(within(groups[0]).getByText('supported')).toBeTruthy();
    expect(groups[1].getAttribute('aria-expanded')).toBe('false');
    expect(rows().map(r => r.dataset.run)).toEqual(['2', '1']);
  });

  it('folds and unfolds a group row from the keyboard', () => {
    renderTable([makeRun(1, { hypothesis_id: 1 }), makeRun(2)], {
      groupBy: 'hypothesis'
    });
    const none = screen.getByRole('row', { name: /\(none\)/ });
    expect(none.tabIndex).toBe(0);
    fireEvent.keyDown(none, { key: 'Enter' });
    expect(rows().map(r => r.dataset.run)).toEqual(['1', '2']);
    fireEvent.keyDown(screen.getByRole('row', { name: /H1/ }), { key: ' ' });
    expect(rows().map(r => r.dataset.run)).toEqual(['2']);
  });
});

describe('RunsTable over server pages', () => {
  it('shows the loaded rows, placeholders for the others, and asks for the rows in view', async () => {
    const fake = new FakeClient();
    fake.runsData = Array.from({ length: 1000 }, (_, i) => makeRun(i + 1));
    const pages = new RunPages(fake.asClient(), 10);
    await pages.reset({ filter: '', sort: { id: 'number', desc: true } });
    render(
      <RunsTable
        runs={pages.loaded()}
        columns={['metrics.acc']}
        definitions={{}}
        hypothesisLabel={id => `H${id}`}
        sorting={[{ id: 'number', desc: true }]}
        onSortingChange={() => undefined}
        groupBy="none"
        selection={new Set()}
        onClick={() => undefined}
        onSelect={() => undefined}
        onOpen={() => undefined}
        pages={pages}
      />
    );
    // The server's order (newest first), the first page only; the rest are placeholders.
    expect(rows().map(r => r.dataset.run)).toEqual([
      '1000',
      '999',
      '998',
      '997',
      '996',
      '995',
      '994',
      '993',
      '992',
      '991'
    ]);
    expect(
      document.querySelectorAll('[aria-busy="true"]').length
    ).toBeGreaterThan(0);
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('1000');
    // The rows in view beyond the first page were asked for, a page at a time.
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(fake.queries.slice(1).map(q => [q.offset, q.limit])).toContainEqual([
      10, 10
    ]);
  });
});
