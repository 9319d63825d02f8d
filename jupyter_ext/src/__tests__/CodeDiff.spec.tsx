/**
 * @jest-environment jsdom
 */
import { render, screen, waitFor } from '@testing-library/react';
import React from 'react';

import { CodeDiff, ICodeRun } from '../components/CodeDiff';
import { Highlighter } from '../diff';

const cell = (lr: number, extra = ''): string =>
  `%%track sweep\nlr = ${lr}\nwidth = 64\n${extra}acc = fit(lr, width)`;

const run = (number: number, code: string | null): ICodeRun => ({
  number,
  label: `#${number} sweep`,
  color: '#4e79a7',
  code
});

describe('CodeDiff', () => {
  it('diffs each distinct code against the first run, grouping runs with the same code', () => {
    const { container } = render(
      <CodeDiff
        runs={[
          run(1, cell(0.1)),
          run(2, cell(0.2)),
          run(3, cell(0.2)),
          run(4, cell(0.1)),
          run(5, null)
        ]}
        params={['lr']}
      />
    );
    const blocks = container.querySelectorAll('.jp-labtrack-CodeDiff-block');
    expect(blocks).toHaveLength(1);
    expect(blocks[0].querySelector('summary')?.textContent).toContain(
      '#1 sweep → #2 sweep (also #3)'
    );
    expect(screen.getByText(/Same code: #4\./)).toBeTruthy();
    expect(screen.getByText(/No code recorded: #5\./)).toBeTruthy();
    const removed = container.querySelector('.jp-mod-del');
    const added = container.querySelector('.jp-mod-add');
    expect(removed?.textContent).toContain('lr = 0.1');
    expect(added?.textContent).toContain('lr = 0.2');
    expect(
      container.querySelector('.jp-labtrack-CodeDiff-hunk')?.textContent
    ).toBe('@@ -1,4 +1,4 @@');
  });

  it('marks the lines that set a differing param and outlines them on focus', () => {
    const runs = [run(1, cell(0.1)), run(2, cell(0.2, 'dropout = 0.5\n'))];
    const { container, rerender } = render(
      <CodeDiff runs={runs} params={['lr', 'dropout']} />
    );
    const marked = [...container.querySelectorAll('[data-params]')].map(row =>
      row.getAttribute('data-params')
    );
    expect(marked).toEqual(['lr', 'lr', 'dropout']);
    expect(container.querySelector('.jp-mod-focus')).toBeNull();
    rerender(
      <CodeDiff runs={runs} params={['lr', 'dropout']} focus="dropout" />
    );
    const focused = container.querySelectorAll('.jp-mod-focus');
    expect(focused).toHaveLength(1);
    expect(focused[0].textContent).toContain('dropout = 0.5');
  });

  it('opens a folded diff when a param in it is focused', () => {
    const runs = [1, 2, 3, 4, 5, 6, 7, 8].map(n => run(n, cell(n / 10)));
    const { container, rerender } = render(
      <CodeDiff runs={runs} params={['lr']} />
    );
    const last = container.querySelector(
      'details[data-run="8"]'
    ) as HTMLDetailsElement;
    expect(last.open).toBe(false);
    rerender(<CodeDiff runs={runs} params={['lr']} focus="lr" />);
    const first = container.querySelector(
      'details[data-run="2"]'
    ) as HTMLDetailsElement;
    expect(first.open).toBe(true);
  });

  it('shows the code with its param lines when every run ran the same cell', () => {
    const { container } = render(
      <CodeDiff runs={[run(1, cell(0.1)), run(2, cell(0.1))]} params={['lr']} />
    );
    expect(container.querySelector('summary')?.textContent).toContain(
      '#1 sweep: the code #1, #2 ran'
    );
    expect(container.querySelectorAll('.jp-mod-add, .jp-mod-del')).toHaveLength(
      0
    );
    expect(container.querySelectorAll('.jp-mod-sets')).toHaveLength(1);
  });

  it('draws the tokens the highlighter gives, with their classes', async () => {
    const highlight: Highlighter = async code =>
      code.split('\n').map(line => [
        { text: line.split(' ')[0], className: 'tok-name' },
        { text: line.slice(line.split(' ')[0].length), className: '' }
      ]);
    const { container } = render(
      <CodeDiff
        runs={[run(1, cell(0.1)), run(2, cell(0.2))]}
        params={[]}
        highlight={highlight}
      />
    );
    await waitFor(() =>
      expect(
        container.querySelectorAll('span.tok-name').length
      ).toBeGreaterThan(0)
    );
    const names = [...container.querySelectorAll('span.tok-name')].map(
      s => s.textContent
    );
    expect(names).toContain('lr');
  });

  it('says so when no run recorded code', () => {
    render(<CodeDiff runs={[run(1, null), run(2, '')]} params={[]} />);
    expect(screen.getByText(/No code recorded for these runs/)).toBeTruthy();
  });
});
