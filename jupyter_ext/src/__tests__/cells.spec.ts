import { findCellIndex, normalizeSource } from '../cells';

const cells = [
  { source: 'import labtrack', executionCount: 1 },
  { source: '%%track a\nlr = 0.1  ', executionCount: 2 },
  { source: '%%track a\nlr = 0.1', executionCount: 5 },
  { source: 'print(1)', executionCount: 7 },
  { source: 'x = 2', executionCount: null }
];

describe('findCellIndex', () => {
  it.each([
    ['same source and count', '%%track a\r\nlr = 0.1', 5, 2],
    ['same source, the last one', '%%track a\nlr = 0.1', 9, 2],
    ['part of a run over cells', '%track start\nx = 2\nprint(1)', null, 3],
    ['count alone', 'changed since', 7, 3],
    ['nothing', 'changed since', 42, -1],
    ['no code, no count', null, null, -1]
  ] as const)('%s', (_, code, count, expected) => {
    expect(findCellIndex(cells, code, count)).toBe(expected);
  });

  it('normalises line ends and trailing spaces', () => {
    expect(normalizeSource('a  \r\nb\r\n\n')).toBe('a\nb');
  });
});
