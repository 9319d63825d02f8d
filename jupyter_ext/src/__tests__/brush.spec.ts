import { brushedRuns, brushFilter } from '../brush';
import { makeAxis, MISSING_AT } from '../charts';

describe('brushedRuns', () => {
  const axes = [
    makeAxis('lr', [0.1, 0.2, 0.3, null]),
    makeAxis('model', ['rf', 'svm', 'rf', 'svm'])
  ];

  it('keeps every run without a brush, those inside all brushes with some', () => {
    expect(brushedRuns(axes, new Map(), 4)).toEqual([0, 1, 2, 3]);
    expect(brushedRuns(axes, new Map([[0, [0.4, 1]]]), 4)).toEqual([1, 2]);
    expect(
      brushedRuns(
        axes,
        new Map([
          [0, [0.4, 1]],
          [1, [0.9, 1]]
        ]),
        4
      )
    ).toEqual([1]);
  });

  it('can brush the missing tick', () => {
    expect(
      brushedRuns(
        axes,
        new Map([[0, [MISSING_AT - 0.01, MISSING_AT + 0.01]]]),
        4
      )
    ).toEqual([3]);
  });
});

describe('brushFilter', () => {
  it('narrows the user filter to the brushed runs', () => {
    expect(brushFilter([3, 5])).toBe('attributes.number IN (3, 5)');
    expect(brushFilter([3], " params.model = 'rf' ")).toBe(
      "(params.model = 'rf') and attributes.number IN (3)"
    );
    expect(brushFilter([])).toBe('attributes.number IN (0)');
  });
});
