/**
 * @jest-environment jsdom
 */
import { render, waitFor } from '@testing-library/react';
import React from 'react';

import { LabtrackClient } from '../client';
import { HistoryPanel } from '../components/HistoryPanel';
import { IHistory } from '../tokens';

/** Serves a run whose `loss` grows by a point at each request, and a one-value `acc`. */
class GrowingRun {
  asked: string[] = [];

  async history(numbers: number[], metric: string): Promise<IHistory> {
    this.asked.push(metric);
    const count = metric === 'acc' ? 1 : 2 + this.asked.length;
    const steps = Array.from({ length: count }, (_, i) => i);
    return {
      metric,
      series: numbers.map(number => ({
        number,
        name: 'live',
        steps,
        values: steps.map(s => 1 / (s + 1)),
        count,
        downsampled: false
      }))
    };
  }

  asClient(): LabtrackClient {
    return this as unknown as LabtrackClient;
  }
}

const runs = [{ number: 7, label: '#7 live', color: '#4e79a7' }];

describe('HistoryPanel', () => {
  it('fetches the charts again when the run has new points, and draws them', async () => {
    const server = new GrowingRun();
    const panel = (version: string) => (
      <HistoryPanel
        client={server.asClient()}
        runs={runs}
        metrics={['loss']}
        initial={['loss']}
        version={version}
      />
    );
    const { container, rerender } = render(panel('20'));
    const points = (): string | null | undefined =>
      container
        .querySelector('.jp-labtrack-HistoryChart[data-metric="loss"]')
        ?.getAttribute('data-points');
    await waitFor(() => expect(points()).toBe('3'));
    rerender(panel('20'));
    expect(server.asked).toEqual(['loss']);
    rerender(panel('150'));
    await waitFor(() => expect(points()).toBe('4'));
    expect(server.asked).toEqual(['loss', 'loss']);
  });

  it('draws a metric with one value a run as bars', async () => {
    const server = new GrowingRun();
    const { container } = render(
      <HistoryPanel
        client={server.asClient()}
        runs={runs}
        metrics={['acc', 'loss']}
        initial={['acc', 'loss']}
      />
    );
    await waitFor(() =>
      expect(
        container.querySelector('.jp-labtrack-BarChart[data-metric="acc"]')
      ).not.toBeNull()
    );
    expect(
      container
        .querySelector('.jp-labtrack-HistoryChart:not(.jp-labtrack-BarChart)')
        ?.getAttribute('data-metric')
    ).toBe('loss');
  });
});
