import { bestRun, metricValue, shownParams } from '../comparison';
import { IComparedMetric } from '../tokens';

const metric = (goal: 'max' | 'min' | null): IComparedMetric => ({
  name: 'acc',
  definition: goal ? { goal, target: null, summary: 'last' } : null,
  differs: true,
  summaries_differing: ['last'],
  values: [
    {
      run: 1,
      last: 0.8,
      best: 0.9,
      best_step: 3,
      min: 0.1,
      max: 0.9,
      mean: 0.5
    },
    {
      run: 2,
      last: 'nan',
      best: null,
      best_step: null,
      min: null,
      max: null,
      mean: null
    },
    {
      run: 3,
      last: 0.85,
      best: 0.85,
      best_step: 1,
      min: 0.2,
      max: 0.85,
      mean: 0.6
    }
  ]
});

describe('comparison helpers', () => {
  it('reads the summary the definition names', () => {
    expect(metricValue(metric('max'), 1)).toBe(0.8);
    expect(metricValue(metric('max'), 1, 'best')).toBe(0.9);
    expect(metricValue(metric('max'), 9)).toBeNull();
    expect(metricValue(metric(null), 2)).toBeNaN();
  });

  it('finds the best run by goal, none without a goal', () => {
    expect(bestRun(metric('max'))).toBe(3);
    expect(bestRun(metric('min'))).toBe(1);
    expect(bestRun(metric(null))).toBeNull();
  });

  it('keeps differing params only when asked', () => {
    const params = [
      { name: 'a', differs: true, values: [] },
      { name: 'b', differs: false, values: [] }
    ];
    expect(shownParams(params, true).map(p => p.name)).toEqual(['a']);
    expect(shownParams(params, false)).toHaveLength(2);
  });
});
