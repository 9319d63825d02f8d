/**
 * Data preparation for the uPlot charts: run colours, smoothing, aligning series on one step axis,
 * and the normalised axes of the parallel-coordinates plot. Pure functions (tested with jest).
 */

import { JSONValue } from './tokens';

/** Categorical colours readable on light and dark backgrounds (Tableau 20, strong shades first). */
export const RUN_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf'
];

/** The colour of the `index`-th compared run (the same in every chart of a view). */
export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length];
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled
 * towards zero); `weight` 0 leaves the values as they are. Nulls stay null and are skipped.
 */
export function smooth(
  values: readonly (number | null)[],
  weight: number
): (number | null)[] {
  if (weight <= 0) {
    return values.slice();
  }
  let last = 0;
  let count = 0;
  return values.map(value => {
    if (value === null || !Number.isFinite(value)) {
      return value;
    }
    last = last * weight + (1 - weight) * value;
    count += 1;
    return last / (1 - Math.pow(weight, count));
  });
}

/** One line of a chart. */
export interface IChartLine {
  label: string;
  color: string;
  steps: readonly number[];
  values: readonly (number | null)[];
}

/** uPlot's aligned data: the x values, then one y array per line (null where a line has no point). */
export type Aligned = [number[], ...(number | null)[][]];

/**
 * Put lines with different steps on one x axis (the union of their steps, sorted), as uPlot
 * wants. With `log`, values ≤ 0 become null (a log axis cannot show them).
 */
export function alignLines(
  lines: readonly IChartLine[],
  options: { smoothing?: number; log?: boolean } = {}
): Aligned {
  const { smoothing = 0, log = false } = options;
  const xs = new Set<number>();
  for (const line of lines) {
    for (const step of line.steps) {
      xs.add(step);
    }
  }
  const x = Float64Array.from(xs).sort();
  const index = new Map<number, number>();
  x.forEach((step, i) => index.set(step, i));
  const ys = lines.map(line => {
    const y: (number | null)[] = new Array(x.length).fill(null);
    const values = smooth(line.values, smoothing);
    line.steps.forEach((step, i) => {
      const value = values[i];
      y[index.get(step) as number] =
        value === null || !Number.isFinite(value) || (log && value <= 0)
          ? null
          : value;
    });
    return y;
  });
  return [Array.from(x), ...ys];
}

/** One axis of the parallel-coordinates plot: where each run sits on it, from 0 to 1. */
export interface IAxis {
  name: string;
  /** One position a run: 0..1, or `MISSING_AT` when the run has no value. */
  positions: number[];
  /** Labels to draw along the axis: [position, text]. */
  ticks: [number, string][];
  categorical: boolean;
  /** True when some run has no value (they sit on the "missing" tick). */
  missing: boolean;
}

/** Where runs without a value sit on an axis: a "missing" tick below the values. */
export const MISSING_AT = -0.14;

/** Runs without a value go on the "missing" tick, so their lines stay whole. */
function withMissing(
  axis: Omit<IAxis, 'missing' | 'positions'>,
  positions: (number | null)[]
): IAxis {
  const missing = positions.some(p => p === null);
  return {
    ...axis,
    missing,
    positions: positions.map(p => (p === null ? MISSING_AT : p)),
    ticks: missing ? [...axis.ticks, [MISSING_AT, 'missing']] : axis.ticks
  };
}

const short = (value: number): string => String(Number(value.toPrecision(3)));

/**
 * An axis for `values` (one a run): numbers spread between their min and max, anything else as
 * evenly spaced categories in sorted order.
 */
export function makeAxis(
  name: string,
  values: readonly (JSONValue | undefined)[]
): IAxis {
  const present = values.filter(
    v => v !== null && v !== undefined
  ) as JSONValue[];
  const numeric =
    present.length > 0 && present.every(v => typeof v === 'number');
  if (numeric) {
    const numbers = present as number[];
    const lo = Math.min(...numbers);
    const hi = Math.max(...numbers);
    // Values spanning two decades or more (learning rates 1e-4 .. 1e-1) on a log scale, as the
    // Python exports draw them (comparisons/charts.py), so both read the same.
    const log = lo > 0 && hi / lo >= 100;
    const scale = log ? Math.log10 : (v: number): number => v;
    const span = scale(hi) - scale(lo);
    const at = (v: number): number =>
      span === 0 ? 0.5 : (scale(v) - scale(lo)) / span;
    const middle = log ? Math.pow(10, scale(lo) + span / 2) : lo + span / 2;
    const positions = values.map(v => (typeof v === 'number' ? at(v) : null));
    return withMissing(
      {
        name,
        categorical: false,
        ticks:
          span === 0
            ? [[0.5, short(lo)]]
            : [
                [0, short(lo)],
                [0.5, short(middle)],
                [1, short(hi)]
              ]
      },
      positions
    );
  }
  const text = (v: JSONValue): string =>
    typeof v === 'string' ? v : JSON.stringify(v);
  const categories = [...new Set(present.map(text))].sort();
  const at = (i: number): number =>
    categories.length === 1 ? 0.5 : i / (categories.length - 1);
  const positions = values.map(v =>
    v === null || v === undefined ? null : at(categories.indexOf(text(v)))
  );
  return withMissing(
    {
      name,
      categorical: true,
      ticks: categories.map((c, i) => [at(i), c] as [number, string])
    },
    positions
  );
}

/** A colour from red (0, worst) through orange and olive to green (1, best), readable on light
 * and dark backgrounds. */
export function rampColor(t: number): string {
  const stops = [
    [215, 48, 39],
    [244, 109, 67],
    [190, 160, 50],
    [102, 180, 90],
    [26, 152, 80]
  ];
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const scaled = clamped * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const mix = (k: number): number =>
    Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** The value of a CSS variable of the theme (e.g. `--jp-ui-font-color2`), with a fallback. */
export function themeColor(name: string, fallback: string): string {
  if (typeof document === 'undefined') {
    return fallback;
  }
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** The colour-bar stops of `rampColor`, worst to best, as a CSS gradient. */
export function rampGradient(direction = 'to right'): string {
  const stops = [0, 0.25, 0.5, 0.75, 1].map(t => `${rampColor(t)} ${t * 100}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}

/**
 * True when every line has at most one point: such a metric (a final score, `--metrics acc`)
 * reads better as bars across runs than as a line chart.
 */
export function isSingleValued(lines: readonly IChartLine[]): boolean {
  return (
    lines.length > 0 &&
    lines.every(line => line.values.filter(v => v !== null).length <= 1)
  );
}

/** One bar a run for single-valued metrics: x is the run's index, one series a run. */
export function barData(lines: readonly IChartLine[]): Aligned {
  const x = lines.map((_, i) => i);
  const ys = lines.map((line, i) => {
    const y: (number | null)[] = new Array(lines.length).fill(null);
    const value = line.values.find(v => v !== null && Number.isFinite(v));
    y[i] = value ?? null;
    return y;
  });
  return [x, ...ys];
}

/** A y range that shows bars and single points: zero included, a margin above and below. */
export function valueRange(
  min: number | null,
  max: number | null
): [number, number] {
  if (min === null || max === null || !Number.isFinite(min + max)) {
    return [0, 1];
  }
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0 + pad];
}
