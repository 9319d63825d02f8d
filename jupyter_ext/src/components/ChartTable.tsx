import React from 'react';

import { IChartLine } from '../charts';
import { formatNumber } from '../format';

export interface IChartTableProps {
  /** The metric the chart shows. */
  title: string;
  lines: readonly IChartLine[];
}

/** Points, steps, last, min and max of a line's finite values. */
function describe(line: IChartLine) {
  const points = line.steps
    .map((step, i) => [step, line.values[i]] as const)
    .filter(([, v]) => v !== null && Number.isFinite(v)) as [number, number][];
  const values = points.map(([, v]) => v);
  const last = points[points.length - 1];
  return {
    count: points.length,
    steps: points.length
      ? `${points[0][0]}–${last[0]}`.replace(/^(\d+)–\1$/, '$1')
      : '—',
    last: last ? last[1] : null,
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null
  };
}

/**
 * The text alternative of a chart: one row a line with its points, steps, last, min and max.
 * Folded under the chart; screen readers and keyboards reach it like any table.
 */
export function ChartTable(props: IChartTableProps): JSX.Element {
  const { title, lines } = props;
  return (
    <details className="jp-labtrack-ChartTable">
      <summary>Data table</summary>
      <div className="jp-labtrack-tableScroll">
        <table className="jp-labtrack-Table">
          <caption className="jp-labtrack-visuallyHidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">run</th>
              <th scope="col" className="jp-mod-numeric">
                points
              </th>
              <th scope="col" className="jp-mod-numeric">
                steps
              </th>
              <th scope="col" className="jp-mod-numeric">
                last
              </th>
              <th scope="col" className="jp-mod-numeric">
                min
              </th>
              <th scope="col" className="jp-mod-numeric">
                max
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map(line => {
              const d = describe(line);
              return (
                <tr key={line.label} data-run-label={line.label}>
                  <th scope="row">{line.label}</th>
                  <td className="jp-mod-numeric">{d.count}</td>
                  <td className="jp-mod-numeric">{d.steps}</td>
                  <td className="jp-mod-numeric">{formatNumber(d.last)}</td>
                  <td className="jp-mod-numeric">{formatNumber(d.min)}</td>
                  <td className="jp-mod-numeric">{formatNumber(d.max)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}
