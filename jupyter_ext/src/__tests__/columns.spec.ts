import {
  createTable,
  getCoreRowModel,
  getSortedRowModel,
  SortingState
} from '@tanstack/react-table';

import {
  columnMeta,
  metricColumn,
  metricValue,
  shownSummary
} from '../columns';
import { IMetricDefinition, IRun } from '../tokens';
import { makeRun } from './fakes';

const best: IMetricDefinition = { goal: 'max', target: 0.9, summary: 'best' };
const mean: IMetricDefinition = { goal: 'min', target: null, summary: 'mean' };
const last: IMetricDefinition = { goal: 'max', target: null, summary: 'last' };

/** The run numbers as a table of one metric column sorts them. */
function sortedNumbers(
  runs: IRun[],
  definition: IMetricDefinition | undefined,
  desc: boolean
): number[] {
  const sorting: SortingState = [{ id: 'metrics.acc', desc }];
  const table = createTable<IRun>({
    data: runs,
    columns: [metricColumn('acc', definition)],
    state: { sorting, columnPinning: {} },
    onStateChange: () => undefined,
    renderFallbackValue: null,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel()
  });
  return table.getSortedRowModel().rows.map(row => row.original.number);
}

describe('metric columns', () => {
  const runs = [
    makeRun(1, { metrics: { acc: 0.9 }, summaries: { acc: 0.9 } }),
    makeRun(2, { metrics: { acc: 0.5 }, summaries: { acc: 0.95 } }),
    makeRun(3, { metrics: { acc: 0.7 }, summaries: { acc: null } }),
    makeRun(4, { metrics: { acc: 0.8 } })
  ];

  it('names the summary in the tooltip', () => {
    expect(shownSummary(best)).toBe('best (max)');
    expect(shownSummary({ ...best, goal: 'min' })).toBe('best (min)');
    expect(shownSummary(mean)).toBe('mean');
    expect(shownSummary(last)).toBeNull();
    expect(shownSummary(undefined)).toBeNull();
    const column = metricColumn('acc', best);
    expect(column.header).toBe('acc ↑');
    expect(columnMeta(column.meta).title).toBe(
      'acc: goal max, target 0.9; best (max) per its definition'
    );
    expect(columnMeta(metricColumn('loss', mean).meta).title).toBe(
      'loss: goal min; mean per its definition'
    );
    expect(columnMeta(metricColumn('acc', last).meta).title).toBe(
      'acc: goal max; last value shown'
    );
    expect(columnMeta(metricColumn('acc').meta).title).toBe('acc: last value');
  });

  it('shows the summary when the run has one, else the last value', () => {
    expect(runs.map(run => metricValue(run, 'acc', best))).toEqual([
      0.9,
      0.95,
      null,
      0.8
    ]);
    expect(runs.map(run => metricValue(run, 'acc', last))).toEqual([
      0.9, 0.5, 0.7, 0.8
    ]);
    expect(runs.map(run => metricValue(run, 'acc'))).toEqual([
      0.9, 0.5, 0.7, 0.8
    ]);
    const odd = makeRun(5, { metrics: { constructor: 1 } });
    expect(metricValue(odd, 'constructor', best)).toBe(1);
  });

  it('sorts by the value shown', () => {
    expect(sortedNumbers(runs, best, true)).toEqual([2, 1, 4, 3]);
    expect(sortedNumbers(runs, best, false)).toEqual([4, 1, 2, 3]);
    expect(sortedNumbers(runs, last, true)).toEqual([1, 4, 3, 2]);
  });
});
