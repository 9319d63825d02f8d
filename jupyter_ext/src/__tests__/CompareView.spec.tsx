/**
 * @jest-environment jsdom
 */
import {
  act,
  fireEvent,
  render,
  screen,
  waitFor
} from '@testing-library/react';
import React from 'react';

import { LabtrackClient } from '../client';
import { CompareView } from '../components/CompareView';
import {
  IComparison,
  IHistory,
  IRunActions,
  IRunDetail,
  IRunsAnswer
} from '../tokens';
import { makeRun } from './fakes';

jest.mock(
  '@jupyterlab/ui-components',
  () => jest.requireActual('./componentMocks').uiComponents
);
jest.mock(
  '@jupyterlab/apputils',
  () => jest.requireActual('./componentMocks').apputils
);
jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);
jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

const code = (n: number): string =>
  `%%track sweep\nlr = ${n / 100}\nwidth = 64\nacc = fit(lr, width)`;

/** Answers the compare view's requests for runs 1..N like the server (lr differs, width not). */
class CompareServer {
  histories: string[] = [];
  failCompare = false;

  async runs(query: { numbers?: number[] }): Promise<IRunsAnswer> {
    const runs = (query.numbers ?? []).map(n =>
      makeRun(n, { metrics: { acc: 0.5 + n / 100, loss: 1 / n } })
    );
    return {
      total: runs.length,
      change: 1,
      runs,
      params: [],
      metrics: [],
      definitions: {}
    };
  }

  async compare(numbers: number[]): Promise<IComparison> {
    if (this.failCompare) {
      throw new Error('the store is gone');
    }
    const values = (value: (n: number) => number) =>
      numbers.map(n => ({
        run: n,
        type: 'float',
        value: value(n),
        display: String(value(n))
      }));
    return {
      differences_only: false,
      runs: numbers.map(n => ({
        label: `#${n} run-${n}`,
        number: n,
        name: `run-${n}`,
        experiment: 'study',
        status: 'finished',
        hypothesis: null
      })),
      params: [
        { name: 'lr', differs: true, values: values(n => n / 100) },
        { name: 'width', differs: false, values: values(() => 64) }
      ],
      metrics: [
        {
          name: 'acc',
          definition: { goal: 'max', target: null, summary: 'last' },
          differs: true,
          summaries_differing: ['last'],
          values: numbers.map(n => ({
            run: n,
            last: 0.5 + n / 100,
            best: 0.5 + n / 100,
            best_step: 0,
            min: 0.5,
            max: 0.5 + n / 100,
            mean: 0.5
          }))
        }
      ]
    };
  }

  async run(number: number): Promise<IRunDetail> {
    return {
      ...makeRun(number),
      code: code(number),
      artifacts: []
    } as unknown as IRunDetail;
  }

  async history(numbers: number[], metric: string): Promise<IHistory> {
    this.histories.push(metric);
    return {
      metric,
      series: numbers.map(n => ({
        number: n,
        name: `run-${n}`,
        steps: metric === 'acc' ? [0] : [0, 1, 2],
        values: metric === 'acc' ? [0.5 + n / 100] : [1, 0.5, 0.2],
        count: metric === 'acc' ? 1 : 3,
        downsampled: false
      }))
    };
  }

  asClient(): LabtrackClient {
    return this as unknown as LabtrackClient;
  }
}

const actions = (): IRunActions & { filterRuns: jest.Mock } => ({
  openRun: jest.fn(),
  compare: jest.fn(),
  openInNotebook: jest.fn(),
  filterRuns: jest.fn()
});

async function showCompare(count: number, server = new CompareServer()) {
  const numbers = Array.from({ length: count }, (_, i) => i + 1);
  const props = {
    client: server.asClient(),
    runs: numbers,
    actions: actions()
  };
  const view = render(<CompareView {...props} />);
  await waitFor(() =>
    expect(
      view.container.querySelector('.jp-labtrack-ParamsTable')
    ).not.toBeNull()
  );
  return { ...view, props, server };
}

describe('CompareView', () => {
  it('shows params of 12 runs in a table with a sticky header, and folds the chips', async () => {
    const { container } = await showCompare(12);
    expect(
      container.querySelector('.jp-labtrack-CompareView')?.classList
    ).toContain('jp-mod-many');
    expect(
      container.querySelectorAll('.jp-labtrack-ParamsTable thead th')
    ).toHaveLength(13);
    expect(
      container.querySelector(
        '.jp-labtrack-ParamsSection .jp-labtrack-stickyTable'
      )
    ).not.toBeNull();
    expect(screen.getByText('+6 more')).toBeTruthy();
    expect(
      container.querySelectorAll('.jp-labtrack-RunChips-list li')
    ).toHaveLength(6);
  });

  it('keeps the differences switch in the header and hides params that are the same', async () => {
    const { container } = await showCompare(3);
    const toggle = container.querySelector(
      '.jp-labtrack-CompareView-header .jp-labtrack-DiffToggle'
    ) as HTMLElement;
    expect(
      container.querySelectorAll('.jp-labtrack-ParamsTable tbody tr')
    ).toHaveLength(2);
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    const rows = container.querySelectorAll(
      '.jp-labtrack-ParamsTable tbody tr'
    );
    expect([...rows].map(r => r.getAttribute('data-param'))).toEqual(['lr']);
  });

  it('diffs the code against the first run and links a differing param to its lines', async () => {
    const { container } = await showCompare(3);
    await waitFor(() =>
      expect(
        container.querySelectorAll('.jp-labtrack-CodeDiff-block')
      ).toHaveLength(2)
    );
    const link = await screen.findByRole('button', { name: 'lr' });
    expect(screen.queryByRole('button', { name: 'width' })).toBeNull(); // the same in every run
    await act(async () => {
      fireEvent.click(link);
      await new Promise(resolve => requestAnimationFrame(resolve));
    });
    const focused = container.querySelectorAll(
      '.jp-labtrack-CodeDiff-line.jp-mod-focus'
    );
    expect(focused.length).toBeGreaterThan(0);
    expect(focused[0].textContent).toContain('lr = ');
  });

  it('charts a single-value metric as bars with a data table', async () => {
    const { container } = await showCompare(4);
    await waitFor(() =>
      expect(
        container.querySelector('.jp-labtrack-BarChart[data-metric="acc"]')
      ).not.toBeNull()
    );
    const chart = container.querySelector(
      '.jp-labtrack-BarChart'
    ) as HTMLElement;
    expect(chart.getAttribute('data-bars')).toBe('4');
    expect(
      chart.querySelectorAll('.jp-labtrack-ChartTable tbody tr')
    ).toHaveLength(4);
    expect(
      chart.querySelector('[role="img"]')?.getAttribute('aria-label')
    ).toContain('acc');
  });

  it('shows the colour legend of the parallel coordinates', async () => {
    const { container } = await showCompare(4);
    const legend = await waitFor(() => {
      const found = container.querySelector('.jp-labtrack-ColorLegend');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(legend.textContent).toContain('acc');
    expect(legend.textContent).toContain('higher is better');
    expect(legend.textContent).toContain('0.51');
    expect(legend.textContent).toContain('0.54');
  });

  it('says why when the comparison fails', async () => {
    const server = new CompareServer();
    server.failCompare = true;
    render(
      <CompareView
        client={server.asClient()}
        runs={[1, 2]}
        actions={actions()}
      />
    );
    expect((await screen.findByRole('alert')).textContent).toContain(
      'the store is gone'
    );
  });
});
