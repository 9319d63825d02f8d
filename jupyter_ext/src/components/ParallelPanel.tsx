import { HTMLSelect } from '@jupyterlab/ui-components';
import React, { useMemo, useState } from 'react';

import { IAxis, makeAxis, MISSING_AT, rampColor } from '../charts';
import { metricValue } from '../comparison';
import { IComparison } from '../tokens';
import { ColorLegend } from './ColorLegend';
import { ParallelCoordinates } from './ParallelCoordinates';

export interface IParallelPanelProps {
  comparison: IComparison;
  /** The params to draw as axes (those that differ, or all). */
  params: readonly string[];
  /** The run numbers inside the brushes, or null when no brush is left. */
  onBrush?: (numbers: number[] | null) => void;
}

const MAX_PARAM_AXES = 10;

/**
 * Parallel coordinates of the params against a chosen metric; lines coloured by the metric
 * (green is best when the metric has a goal, red worst).
 */
export function ParallelPanel(props: IParallelPanelProps): JSX.Element {
  const { comparison, params, onBrush } = props;
  const metrics = comparison.metrics.map(metric => metric.name);
  const [metric, setMetric] = useState(
    comparison.metrics.find(m => m.definition !== null)?.name ??
      metrics[0] ??
      ''
  );

  const { axes, labels, colors, legend } = useMemo(() => {
    const runs = comparison.runs;
    const shown = comparison.params
      .filter(param => params.includes(param.name))
      .slice(0, MAX_PARAM_AXES);
    const axes: IAxis[] = shown.map(param =>
      makeAxis(
        param.name,
        runs.map(
          run => param.values.find(v => v.run === run.number)?.value ?? null
        )
      )
    );
    const compared = comparison.metrics.find(m => m.name === metric);
    const values = runs.map(run =>
      compared ? metricValue(compared, run.number) : null
    );
    const metricAxis = makeAxis(
      metric,
      values.map(v => (v !== null && Number.isFinite(v) ? v : null))
    );
    const goal = compared?.definition?.goal ?? 'max';
    const colors = metricAxis.positions.map(p =>
      p === MISSING_AT ? '#9e9e9e' : rampColor(goal === 'max' ? p : 1 - p)
    );
    const finite = values.filter(
      (v): v is number => v !== null && Number.isFinite(v)
    );
    return {
      axes: compared ? [...axes, metricAxis] : axes,
      labels: runs.map(run => run.label),
      colors,
      legend: compared
        ? {
            goal,
            min: finite.length ? Math.min(...finite) : null,
            max: finite.length ? Math.max(...finite) : null,
            missing: finite.length < runs.length
          }
        : null
    };
  }, [comparison, params, metric]);

  return (
    <div className="jp-labtrack-ParallelPanel">
      <div className="jp-labtrack-toolbar">
        <span className="jp-labtrack-label">colour and last axis</span>
        <HTMLSelect
          aria-label="Metric of the parallel coordinates"
          className="jp-labtrack-ParallelPanel-metric"
          value={metric}
          options={metrics}
          onChange={event => setMetric(event.currentTarget.value)}
        />
      </div>
      <ParallelCoordinates
        axes={axes}
        labels={labels}
        colors={colors}
        onBrush={
          onBrush &&
          (indexes =>
            onBrush(
              indexes === null
                ? null
                : indexes.map(i => comparison.runs[i].number)
            ))
        }
      />
      {legend && axes.length >= 2 && (
        <ColorLegend
          metric={metric}
          min={legend.min}
          max={legend.max}
          goal={legend.goal}
          missing={legend.missing}
        />
      )}
    </div>
  );
}
