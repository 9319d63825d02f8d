/**
 * Brushing the parallel-coordinates plot: a range on an axis keeps the runs whose value lies in
 * it; several brushes keep the runs inside all of them. Pure functions (tested with jest).
 */

import { IAxis } from './charts';

/** A brushed range of one axis, in axis positions (0..1; the "missing" tick lies below 0). */
export type Brush = [number, number];

/** The indexes of the runs inside every brush (all runs when there is none). */
export function brushedRuns(
  axes: readonly IAxis[],
  brushes: ReadonlyMap<number, Brush>,
  runCount: number
): number[] {
  const kept: number[] = [];
  for (let run = 0; run < runCount; run++) {
    let inside = true;
    for (const [axis, [lo, hi]] of brushes) {
      const position = axes[axis]?.positions[run];
      if (position === undefined || position < lo || position > hi) {
        inside = false;
        break;
      }
    }
    if (inside) {
      kept.push(run);
    }
  }
  return kept;
}

/**
 * The filter (the panel's filter language) that shows only `numbers`, within the user's own
 * filter `base`.
 *
 * @example
 * brushFilter([3, 5], "params.model = 'rf'"); // "(params.model = 'rf') and attributes.number IN (3, 5)"
 */
export function brushFilter(numbers: readonly number[], base = ''): string {
  const only = `attributes.number IN (${numbers.length ? numbers.join(', ') : '0'})`;
  return base.trim() ? `(${base.trim()}) and ${only}` : only;
}
