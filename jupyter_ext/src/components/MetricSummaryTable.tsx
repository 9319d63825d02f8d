import { HTMLSelect } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { bestRun, metricValue, SummaryName, SUMMARIES } from '../comparison';
import { formatNumber } from '../format';
import { IComparison } from '../tokens';
import { RunHeading } from './RunHeading';

export interface IMetricSummaryTableProps {
  comparison: IComparison;
  differencesOnly: boolean;
  /** The colour of a run (as in the charts). */
  colorOf: (run: number) => string;
}

/** One row a metric, one column a run; the best run by the metric's goal is marked. */
export function MetricSummaryTable(
  props: IMetricSummaryTableProps
): JSX.Element {
  const { comparison, differencesOnly, colorOf } = props;
  const [summary, setSummary] = useState<SummaryName>('last');
  const metrics = differencesOnly
    ? comparison.metrics.filter(metric => metric.differs)
    : comparison.metrics;
  return (
    <div className="jp-labtrack-MetricSummaryTable">
      <div className="jp-labtrack-toolbar">
        <span className="jp-labtrack-label">summary</span>
        <HTMLSelect
          aria-label="Metric summary"
          value={summary}
          options={SUMMARIES}
          onChange={event =>
            setSummary(event.currentTarget.value as SummaryName)
          }
        />
      </div>
      {metrics.length === 0 ? (
        <p className="jp-labtrack-muted">No metrics to compare.</p>
      ) : (
        <div className="jp-labtrack-tableScroll jp-labtrack-stickyTable">
          <table className="jp-labtrack-Table">
            <thead>
              <tr>
                <th>metric</th>
                {comparison.runs.map(run => (
                  <th key={run.number}>
                    <RunHeading label={run.label} color={colorOf(run.number)} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metrics.map(metric => {
                const best = bestRun(metric, summary);
                const goal = metric.definition?.goal;
                return (
                  <tr key={metric.name} data-metric={metric.name}>
                    <th
                      scope="row"
                      title={goal ? `goal: ${goal}` : 'no definition'}
                    >
                      {metric.name}
                      {goal ? (goal === 'max' ? ' ↑' : ' ↓') : ''}
                    </th>
                    {comparison.runs.map(run => (
                      <td
                        key={run.number}
                        className={`jp-mod-numeric${best === run.number ? ' jp-mod-best' : ''}`}
                        title={
                          best === run.number ? 'best of these runs' : undefined
                        }
                      >
                        {formatNumber(metricValue(metric, run.number, summary))}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
