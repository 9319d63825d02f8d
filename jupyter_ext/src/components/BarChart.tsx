import React, { useEffect, useRef } from 'react';
import uPlot from 'uplot';

import { barData, IChartLine, themeColor, valueRange } from '../charts';
import { formatNumber } from '../format';
import { useThemeVersion } from '../theme';
import { ChartTable } from './ChartTable';
import { themedAxis } from './HistoryChart';

export interface IBarChartProps {
  /** The metric's name, shown above the chart. */
  title: string;
  /** One line a run, each with at most one point. */
  lines: readonly IChartLine[];
  height?: number;
}

/** Above this many bars the values are not written on them (the table has them). */
const MAX_LABELLED_BARS = 16;

/** The run's number ("#12") from a label like "#12 baseline", for the x axis. */
const shortLabel = (label: string): string => label.split(' ')[0];

/**
 * A single-value metric (a final score) as one bar a run, drawn by uPlot, with the values
 * written above the bars: visible without hovering, unlike a lone point on a line chart.
 */
export function BarChart(props: IBarChartProps): JSX.Element {
  const { title, lines, height = 220 } = props;
  const figureRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const theme = useThemeVersion();

  useEffect(() => {
    const figure = figureRef.current;
    const target = plotRef.current;
    if (!figure || !target) {
      return;
    }
    target.removeAttribute('data-drawn');
    const text = themeColor('--jp-ui-font-color1', '#212121');
    const data = barData(lines);
    const values = data
      .slice(1)
      .map(y => y.find(v => v !== null))
      .filter((v): v is number => typeof v === 'number');
    const [lo, hi] = valueRange(
      values.length ? Math.min(...values) : null,
      values.length ? Math.max(...values) : null
    );
    const every = Math.max(1, Math.ceil(lines.length / 25));
    const bars = uPlot.paths.bars!({ size: [0.7, 64], align: 0 });
    // The value over each bar, so nothing needs hovering.
    const drawValues = (u: uPlot): void => {
      if (lines.length > MAX_LABELLED_BARS) {
        return;
      }
      const ctx = u.ctx;
      const ratio = uPlot.pxRatio;
      ctx.save();
      ctx.font = `${10 * ratio}px sans-serif`;
      ctx.fillStyle = text;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      data.slice(1).forEach((y, i) => {
        const value = y[i];
        if (value === null || value === undefined) {
          return;
        }
        const x = u.valToPos(i, 'x', true);
        const top = u.valToPos(Math.max(value, 0), 'y', true);
        ctx.fillText(formatNumber(value), x, top - 3 * ratio);
      });
      ctx.restore();
    };
    const width = (): number => Math.max(240, figure.clientWidth - 2);
    const plot = new uPlot(
      {
        width: width(),
        height,
        scales: {
          x: { time: false, range: [-0.6, lines.length - 0.4] },
          y: { range: [lo, hi] }
        },
        axes: [
          {
            ...themedAxis('run', 36),
            splits: () => lines.map((_, i) => i).filter(i => i % every === 0),
            values: (_u, ticks) =>
              ticks.map(t => shortLabel(lines[t]?.label ?? '')),
            grid: { show: false }
          },
          {
            ...themedAxis('', 60),
            values: (_u, ticks) => ticks.map(formatNumber)
          }
        ],
        series: [
          { label: 'run' },
          ...lines.map(line => ({
            label: line.label,
            stroke: line.color,
            fill: line.color,
            width: 1,
            paths: bars,
            points: { show: false },
            value: (_u: uPlot, value: number | null) => formatNumber(value)
          }))
        ],
        legend: { show: false },
        cursor: { show: false },
        hooks: {
          draw: [drawValues, () => target.setAttribute('data-drawn', 'true')]
        }
      },
      data as uPlot.AlignedData,
      target
    );
    target.dataset.axisColor = themeColor('--jp-ui-font-color2', '#616161');
    const observer = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) {
        plot.setSize({ width: width(), height });
      }
    });
    observer.observe(figure);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [lines, height, theme]);

  return (
    <figure
      className="jp-labtrack-HistoryChart jp-labtrack-BarChart"
      data-metric={title}
      data-bars={lines.length}
      ref={figureRef}
    >
      <figcaption className="jp-labtrack-HistoryChart-title">
        {title}
        <span className="jp-labtrack-HistoryChart-note">one value a run</span>
      </figcaption>
      <div
        className="jp-labtrack-HistoryChart-plot"
        ref={plotRef}
        role="img"
        aria-label={`Bar chart of ${title}, one bar a run; its data table follows.`}
      />
      <ChartTable title={title} lines={lines} />
    </figure>
  );
}
