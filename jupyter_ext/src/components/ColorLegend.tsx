import React from 'react';

import { rampGradient } from '../charts';
import { formatNumber } from '../format';

export interface IColorLegendProps {
  /** The metric the colours stand for. */
  metric: string;
  min: number | null;
  max: number | null;
  /** With `min` the low values are the green (best) end. */
  goal: 'max' | 'min';
  /** Some runs have no value: they are drawn grey. */
  missing: boolean;
}

/** The colour bar of the parallel coordinates: the metric's range, best end green. */
export function ColorLegend(props: IColorLegendProps): JSX.Element {
  const { metric, min, max, goal, missing } = props;
  return (
    <div
      className="jp-labtrack-ColorLegend"
      role="img"
      aria-label={`Line colour: ${metric} from ${formatNumber(min)} to ${formatNumber(max)}, green is best (${goal === 'max' ? 'higher' : 'lower'} is better)`}
    >
      <span className="jp-labtrack-ColorLegend-name">{metric}</span>
      <span className="jp-labtrack-ColorLegend-value">{formatNumber(min)}</span>
      <span
        className="jp-labtrack-ColorLegend-bar"
        style={{
          background: rampGradient(goal === 'max' ? 'to right' : 'to left')
        }}
      />
      <span className="jp-labtrack-ColorLegend-value">{formatNumber(max)}</span>
      <span className="jp-labtrack-muted">
        {goal === 'max' ? 'higher is better' : 'lower is better'}
      </span>
      {missing && (
        <span className="jp-labtrack-ColorLegend-missing">
          <span
            className="jp-labtrack-Swatch"
            style={{ background: '#9e9e9e' }}
          />
          missing
        </span>
      )}
    </div>
  );
}
