/**
 * Pure helpers over run collections: merging incremental answers, which metrics head the table,
 * and multi-select. The model and the table call them; jest tests them without a browser.
 */

import { IMetricDefinition, IRun } from './tokens';

/** How many metric columns the table shows when no metric has a definition. */
export const DEFAULT_HEADLINE_METRICS = 3;

/** The highest run number, or 0 for none. */
export function maxNumber(runs: Iterable<IRun>): number {
  let max = 0;
  for (const run of runs) {
    if (run.number > max) {
      max = run.number;
    }
  }
  return max;
}

/** The numbers of the runs still running, ascending. */
export function runningNumbers(runs: Iterable<IRun>): number[] {
  const numbers: number[] = [];
  for (const run of runs) {
    if (run.status === 'running') {
      numbers.push(run.number);
    }
  }
  return numbers.sort((a, b) => a - b);
}

/**
 * Put `incoming` runs into `target` (by number); return the numbers that were new or changed.
 *
 * @example
 * const changed = mergeRuns(byNumber, answer.runs);
 */
export function mergeRuns(
  target: Map<number, IRun>,
  incoming: IRun[]
): number[] {
  const changed: number[] = [];
  for (const run of incoming) {
    const old = target.get(run.number);
    if (old === undefined || !sameRun(old, run)) {
      target.set(run.number, run);
      changed.push(run.number);
    }
  }
  return changed;
}

function sameRun(a: IRun, b: IRun): boolean {
  return (
    a.status === b.status &&
    a.end_time === b.end_time &&
    a.duration === b.duration &&
    a.name === b.name &&
    a.hypothesis_id === b.hypothesis_id &&
    JSON.stringify(a.metrics) === JSON.stringify(b.metrics) &&
    JSON.stringify(a.summaries) === JSON.stringify(b.summaries) &&
    JSON.stringify(a.params) === JSON.stringify(b.params) &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}

/** Names in `a` then the new ones of `b`, each once. */
export function unionNames(
  a: readonly string[],
  b: readonly string[]
): string[] {
  const seen = new Set(a);
  return [...a, ...b.filter(name => !seen.has(name))];
}

/**
 * The metrics the runs table shows as columns: those with a definition (what "better" means),
 * else the first few metrics.
 */
export function headlineMetrics(
  metrics: readonly string[],
  definitions: { [metric: string]: IMetricDefinition },
  limit = DEFAULT_HEADLINE_METRICS
): string[] {
  const defined = Object.keys(definitions);
  if (defined.length > 0) {
    const known = metrics.filter(name => name in definitions);
    return unionNames(known, defined);
  }
  return metrics.slice(0, limit);
}

/** How a click changes a multi-selection. */
export type ClickMode = 'single' | 'toggle' | 'range';

/**
 * The selection after a click on run `target` with `order` the runs as displayed: a plain click
 * selects one, ctrl/cmd-click (or a checkbox) toggles one, shift-click selects from `anchor`.
 */
export function clickSelection(
  current: ReadonlySet<number>,
  order: readonly number[],
  anchor: number | null,
  target: number,
  mode: ClickMode
): Set<number> {
  if (mode === 'toggle') {
    const next = new Set(current);
    if (next.has(target)) {
      next.delete(target);
    } else {
      next.add(target);
    }
    return next;
  }
  if (mode === 'range' && anchor !== null) {
    const from = order.indexOf(anchor);
    const to = order.indexOf(target);
    if (from >= 0 && to >= 0) {
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      return new Set([...current, ...order.slice(lo, hi + 1)]);
    }
  }
  return new Set([target]);
}
