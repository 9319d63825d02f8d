import React from 'react';

import { formatNumber } from '../format';
import { IMetricSummary } from '../tokens';

export interface IMetricSummariesProps {
  metrics: { [name: string]: IMetricSummary };
}

const COLUMNS: (keyof IMetricSummary)[] = [
  'last',
  'min',
  'max',
  'mean',
  'count'
];

/** A run's metrics: last (at which step), min, max, mean, number of points. */
export function MetricSummaries(props: IMetricSummariesProps): JSX.Element {
  const entries = Object.entries(props.metrics ?? {}).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  if (entries.length === 0) {
    return <p className="jp-labtrack-muted">No metrics logged.</p>;
  }
  return (
    <div className="jp-labtrack-tableScroll jp-labtrack-MetricSummaries">
      <table className="jp-labtrack-Table">
        <thead>
          <tr>
            <th>metric</th>
            {COLUMNS.map(column => (
              <th key={column} className="jp-mod-numeric">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map(([name, summary]) => (
            <tr key={name} data-metric={name}>
              <th scope="row">{name}</th>
              {COLUMNS.map(column => (
                <td
                  key={column}
                  className="jp-mod-numeric"
                  title={
                    column === 'last' && summary.last_step !== null
                      ? `at step ${summary.last_step}`
                      : column === 'count' && summary.nan_count > 0
                        ? `${summary.nan_count} NaN`
                        : undefined
                  }
                >
                  {formatNumber(summary[column])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
