/**
 * Reading the comparison JSON (`GET compare`): which value of a metric stands for a run, which
 * run is best, which params to show.
 */

import { toNumber } from './format';
import { IComparedMetric, IComparedParam, IMetricValues } from './tokens';

/** The summaries the metric table can show. */
export type SummaryName = 'last' | 'best' | 'min' | 'max' | 'mean';

export const SUMMARIES: SummaryName[] = ['last', 'best', 'min', 'max', 'mean'];

/** A run's value of `metric`: the summary its definition names (last without a definition). */
export function metricValue(
  metric: IComparedMetric,
  run: number,
  summary?: SummaryName
): number | null {
  const values = metric.values.find(v => v.run === run);
  if (!values) {
    return null;
  }
  const name = summary ?? metric.definition?.summary ?? 'last';
  return toNumber(values[name as keyof IMetricValues] as IMetricValues['last']);
}

/**
 * The number of the best run for `metric` by its definition's goal (or null without a goal,
 * or when fewer than two runs have a value).
 */
export function bestRun(
  metric: IComparedMetric,
  summary: SummaryName = 'last'
): number | null {
  const goal = metric.definition?.goal;
  if (!goal) {
    return null;
  }
  let best: number | null = null;
  let bestValue = 0;
  let count = 0;
  for (const values of metric.values) {
    const value = metricValue(metric, values.run, summary);
    if (value === null || Number.isNaN(value)) {
      continue;
    }
    count += 1;
    if (
      best === null ||
      (goal === 'max' ? value > bestValue : value < bestValue)
    ) {
      best = values.run;
      bestValue = value;
    }
  }
  return count > 1 ? best : null;
}

/** The params to show: all, or with `differencesOnly` those whose values differ. */
export function shownParams(
  params: readonly IComparedParam[],
  differencesOnly: boolean
): IComparedParam[] {
  return differencesOnly ? params.filter(param => param.differs) : [...params];
}
