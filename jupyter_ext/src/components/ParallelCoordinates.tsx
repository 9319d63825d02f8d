import React, { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';

import { IAxis, themeColor } from '../charts';

export interface IParallelCoordinatesProps {
  /** The axes left to right (params, then the metric). */
  axes: readonly IAxis[];
  /** One label and one colour a run. */
  labels: readonly string[];
  colors: readonly string[];
  height?: number;
}

const MAX_TICKS = 8;

/**
 * Parallel coordinates drawn by uPlot: each run is a line across one vertical axis a param and a
 * last axis for the metric; the axes and their labels are drawn on uPlot's canvas in a draw hook.
 * Hover a line to see its run.
 */
export function ParallelCoordinates(
  props: IParallelCoordinatesProps
): JSX.Element {
  const { axes, labels, colors, height = 260 } = props;
  const figureRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState<string | null>(null);

  useEffect(() => {
    const figure = figureRef.current;
    const target = plotRef.current;
    if (!figure || !target || axes.length < 2) {
      return;
    }
    const text = themeColor('--jp-ui-font-color1', '#212121');
    const muted = themeColor('--jp-ui-font-color2', '#616161');
    const line = themeColor('--jp-border-color1', '#bdbdbd');
    const background = themeColor('--jp-layout-color1', '#ffffff');
    const x = axes.map((_, i) => i);
    const ys = labels.map((_, run) => axes.map(axis => axis.positions[run]));
    const width = (): number => Math.max(320, figure.clientWidth - 2);

    const drawAxes = (u: uPlot): void => {
      const ctx = u.ctx;
      const ratio = uPlot.pxRatio;
      const top = u.valToPos(1, 'y', true);
      const bottom = u.valToPos(0, 'y', true);
      ctx.save();
      ctx.lineWidth = ratio;
      ctx.textBaseline = 'middle';
      axes.forEach((axis, i) => {
        const at = u.valToPos(i, 'x', true);
        ctx.strokeStyle = line;
        ctx.beginPath();
        ctx.moveTo(at, top);
        ctx.lineTo(at, bottom);
        ctx.stroke();
        ctx.fillStyle = text;
        ctx.font = `600 ${11 * ratio}px sans-serif`;
        ctx.textAlign =
          i === 0 ? 'left' : i === axes.length - 1 ? 'right' : 'center';
        ctx.fillText(axis.name, at, top - 14 * ratio);
      });
      ctx.restore();
    };

    // Tick labels go over the lines, on a patch of the background, so they stay readable.
    const drawTicks = (u: uPlot): void => {
      const ctx = u.ctx;
      const ratio = uPlot.pxRatio;
      ctx.save();
      ctx.font = `${10 * ratio}px sans-serif`;
      ctx.textBaseline = 'middle';
      axes.forEach((axis, i) => {
        const at = u.valToPos(i, 'x', true);
        const last = i === axes.length - 1;
        const step = Math.ceil(axis.ticks.length / MAX_TICKS);
        axis.ticks
          .filter((_, k) => k % step === 0)
          .forEach(([position, label]) => {
            const shown = label.length > 14 ? `${label.slice(0, 13)}…` : label;
            const y = u.valToPos(position, 'y', true);
            const w = ctx.measureText(shown).width + 6 * ratio;
            const x = last ? at - 6 * ratio - w : at + 6 * ratio;
            ctx.fillStyle = background;
            ctx.globalAlpha = 0.85;
            ctx.fillRect(x, y - 7 * ratio, w, 14 * ratio);
            ctx.globalAlpha = 1;
            ctx.fillStyle = muted;
            ctx.textAlign = 'left';
            ctx.fillText(shown, x + 3 * ratio, y);
          });
      });
      ctx.restore();
    };

    const plot = new uPlot(
      {
        width: width(),
        height,
        padding: [30, 12, 10, 12],
        scales: {
          x: { time: false, range: [0, axes.length - 1] },
          y: { range: [-0.02, 1.02] }
        },
        axes: [{ show: false }, { show: false }],
        series: [
          {},
          ...labels.map((label, run) => ({
            label,
            stroke: colors[run],
            width: 1.6,
            spanGaps: false,
            points: { show: true, size: 5, fill: colors[run] }
          }))
        ],
        legend: { show: false },
        cursor: {
          focus: { prox: 12 },
          points: { show: false },
          drag: { x: false, y: false }
        },
        focus: { alpha: 0.2 },
        hooks: {
          drawAxes: [drawAxes],
          draw: [drawTicks, () => target.setAttribute('data-drawn', 'true')],
          setSeries: [
            (u, index) =>
              setFocused(
                index === null || index === 0 ? null : labels[index - 1]
              )
          ]
        }
      },
      [x, ...ys] as uPlot.AlignedData,
      target
    );
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
  }, [axes, labels, colors, height]);

  if (axes.length < 2) {
    return (
      <p className="jp-labtrack-muted">
        Parallel coordinates need at least one param that differs and a metric.
      </p>
    );
  }
  return (
    <figure className="jp-labtrack-ParallelCoordinates" ref={figureRef}>
      <div className="jp-labtrack-ParallelCoordinates-plot" ref={plotRef} />
      <figcaption className="jp-labtrack-muted">
        {focused ?? 'Hover a line to see its run.'}
      </figcaption>
    </figure>
  );
}
