import {
  alignLines,
  barData,
  isSingleValued,
  makeAxis,
  MISSING_AT,
  rampColor,
  rampGradient,
  runColor,
  smooth,
  valueRange
} from '../charts';

describe('smooth', () => {
  it('leaves values alone at 0 and debiases the first points', () => {
    expect(smooth([1, 2, null, 3], 0)).toEqual([1, 2, null, 3]);
    const out = smooth([2, 2, 2], 0.9);
    out.forEach(value => expect(value).toBeCloseTo(2));
    expect(smooth([0, 10], 0.5)[1]).toBeCloseTo((10 * 0.5) / 0.75);
  });
});

describe('alignLines', () => {
  const line = (steps: number[], values: (number | null)[]) => ({
    label: 'x',
    color: '#000',
    steps,
    values
  });

  it('puts lines on the union of their steps', () => {
    const [x, a, b] = alignLines([line([0, 2], [1, 2]), line([1, 2], [5, 6])]);
    expect(x).toEqual([0, 1, 2]);
    expect(a).toEqual([1, null, 2]);
    expect(b).toEqual([null, 5, 6]);
  });

  it('drops values a log axis cannot show', () => {
    const [, a] = alignLines([line([0, 1, 2], [0, -1, 3])], { log: true });
    expect(a).toEqual([null, null, 3]);
  });
});

describe('makeAxis', () => {
  it('puts values spanning decades on a log scale, as the Python exports do', () => {
    const axis = makeAxis('lr', [1e-4, 1e-3, 1e-2]);
    expect(axis.positions).toEqual([0, 0.5, 1]);
    expect(axis.ticks[1]).toEqual([0.5, '0.001']);
  });

  it('spreads numbers between their min and max', () => {
    const axis = makeAxis('lr', [0.1, 0.3, null, 0.2]);
    expect(axis.categorical).toBe(false);
    expect(axis.positions[0]).toBe(0);
    expect(axis.positions[1]).toBe(1);
    expect(axis.positions[2]).toBe(MISSING_AT);
    expect(axis.positions[3]).toBeCloseTo(0.5);
  });

  it('puts runs without a value on a "missing" tick', () => {
    const axis = makeAxis('dropout', [0.1, null, 0.3]);
    expect(axis.missing).toBe(true);
    expect(axis.ticks).toContainEqual([MISSING_AT, 'missing']);
    expect(makeAxis('w', [1, 2]).missing).toBe(false);
    expect(makeAxis('m', ['a', null]).positions).toEqual([0.5, MISSING_AT]);
  });

  it('spaces categories evenly in sorted order', () => {
    const axis = makeAxis('model', ['rf', 'lr', 'rf', true]);
    expect(axis.categorical).toBe(true);
    expect(axis.ticks.map(([, label]) => label)).toEqual(['lr', 'rf', 'true']);
    expect(axis.positions).toEqual([0.5, 0, 0.5, 1]);
  });

  it('centres a single value', () => {
    expect(makeAxis('w', [3, 3]).positions).toEqual([0.5, 0.5]);
  });
});

describe('single values', () => {
  const line = (values: (number | null)[]) => ({
    label: '#1 a',
    color: '#000',
    steps: values.map((_, i) => i),
    values
  });

  it('tells single-valued metrics from histories', () => {
    expect(isSingleValued([line([0.9]), line([0.8])])).toBe(true);
    expect(isSingleValued([line([0.9]), line([0.8, 0.7])])).toBe(false);
    expect(isSingleValued([])).toBe(false);
  });

  it('makes one bar a run at its index', () => {
    expect(barData([line([0.9]), line([]), line([0.7])])).toEqual([
      [0, 1, 2],
      [0.9, null, null],
      [null, null, null],
      [null, null, 0.7]
    ]);
  });

  it('ranges bars from zero with a margin', () => {
    const [lo, hi] = valueRange(0.7, 0.9);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(0.9);
    expect(valueRange(-2, -1)[0]).toBeLessThan(-2);
    expect(valueRange(null, null)).toEqual([0, 1]);
  });
});

describe('colours', () => {
  it('runs and the ramp', () => {
    expect(runColor(0)).toBe(runColor(20));
    expect(rampColor(0)).toBe('rgb(215, 48, 39)');
    expect(rampColor(1)).toBe('rgb(26, 152, 80)');
    expect(rampColor(NaN)).toBe(rampColor(0));
    expect(rampGradient()).toMatch(
      /^linear-gradient\(to right, rgb\(215, 48, 39\) 0%/
    );
  });
});
