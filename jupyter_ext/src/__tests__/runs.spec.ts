import {
  clickSelection,
  headlineMetrics,
  maxNumber,
  mergeRuns,
  runningNumbers
} from '../runs';
import { makeRun } from './fakes';

jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);
jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

describe('run collections', () => {
  it('merges by number and reports what changed', () => {
    const map = new Map([
      [1, makeRun(1)],
      [2, makeRun(2, { status: 'running' })]
    ]);
    const changed = mergeRuns(map, [makeRun(1), makeRun(2), makeRun(3)]);
    expect(changed).toEqual([2, 3]);
    expect(map.get(2)?.status).toBe('finished');
  });

  it('counts a changed summary as a change', () => {
    const map = new Map([[1, makeRun(1, { summaries: { acc: 0.6 } })]]);
    expect(mergeRuns(map, [makeRun(1, { summaries: { acc: 0.6 } })])).toEqual(
      []
    );
    expect(mergeRuns(map, [makeRun(1, { summaries: { acc: 0.7 } })])).toEqual([
      1
    ]);
    expect(map.get(1)?.summaries).toEqual({ acc: 0.7 });
  });

  it('finds the highest number and the running runs', () => {
    const runs = [
      makeRun(3, { status: 'running' }),
      makeRun(9),
      makeRun(1, { status: 'running' })
    ];
    expect(maxNumber(runs)).toBe(9);
    expect(maxNumber([])).toBe(0);
    expect(runningNumbers(runs)).toEqual([1, 3]);
  });

  it('heads the table with defined metrics, else the first few', () => {
    const goal = {
      goal: 'max' as const,
      target: null,
      summary: 'last' as const
    };
    expect(headlineMetrics(['a', 'b', 'c', 'd'], {})).toEqual(['a', 'b', 'c']);
    expect(headlineMetrics(['a', 'b', 'c'], { c: goal, x: goal })).toEqual([
      'c',
      'x'
    ]);
  });

  it.each([
    ['single', 3, [3]],
    ['toggle', 1, [1, 2]],
    ['toggle', 2, []],
    ['range', 4, [2, 3, 4]]
  ] as const)('a %s click on %i selects %j', (mode, target, expected) => {
    const order = [1, 2, 3, 4, 5];
    const result = clickSelection(new Set([2]), order, 2, target, mode);
    expect([...result].sort()).toEqual(expected);
  });
});
