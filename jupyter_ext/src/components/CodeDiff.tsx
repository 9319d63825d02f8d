import React, { useEffect, useMemo, useRef, useState } from 'react';

import {
  diffLines,
  Highlighter,
  IDiffLine,
  IToken,
  paramLines,
  splitCode,
  unifiedHunks
} from '../diff';

/** A compared run and the code of its cell. */
export interface ICodeRun {
  number: number;
  label: string;
  color: string;
  code: string | null;
}

export interface ICodeDiffProps {
  /** The runs in order; the first with code is the base of every diff. */
  runs: readonly ICodeRun[];
  /** The params that differ: the lines that set them are marked and can be jumped to. */
  params: readonly string[];
  /** A param whose lines to show (scrolled into view and outlined). */
  focus?: string | null;
  /** Syntax highlighting (JupyterLab's CodeMirror); plain text without it. */
  highlight?: Highlighter;
}

/** Blocks open at first; the others fold (a param link opens the one it points into). */
const OPEN_BLOCKS = 6;

/** The highlighted lines of each distinct code, once the highlighter answered. */
function useHighlighted(
  codes: readonly string[],
  highlight?: Highlighter
): Map<string, IToken[][]> {
  const [done, setDone] = useState(new Map<string, IToken[][]>());
  const key = codes.join('\u0000');
  useEffect(() => {
    if (!highlight) {
      return;
    }
    let current = true;
    Promise.all(codes.map(code => highlight(code))).then(
      lines =>
        current && setDone(new Map(codes.map((code, i) => [code, lines[i]]))),
      () => undefined // plain text stays
    );
    return () => {
      current = false;
    };
  }, [key, highlight]);
  return done;
}

interface ILineProps {
  line: IDiffLine;
  tokens?: IToken[];
  sets?: string[];
  focus?: string | null;
}

/** One row of a diff: line numbers, +/−, the code, and the params the line sets. */
function DiffRow(props: ILineProps): JSX.Element {
  const { line, tokens, sets, focus } = props;
  const sign = line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ' ';
  const classes = [`jp-labtrack-CodeDiff-line jp-mod-${line.kind}`];
  if (sets) {
    classes.push('jp-mod-sets');
  }
  if (focus && sets?.includes(focus)) {
    classes.push('jp-mod-focus');
  }
  return (
    <tr className={classes.join(' ')} data-params={sets?.join(' ')}>
      <td className="jp-labtrack-CodeDiff-no">{line.oldNo ?? ''}</td>
      <td className="jp-labtrack-CodeDiff-no">{line.newNo ?? ''}</td>
      <td className="jp-labtrack-CodeDiff-sign" aria-hidden="true">
        {sign}
      </td>
      <td className="jp-labtrack-CodeDiff-code">
        <span className="jp-labtrack-visuallyHidden">
          {line.kind === 'add'
            ? 'added: '
            : line.kind === 'del'
              ? 'removed: '
              : ''}
        </span>
        {tokens
          ? tokens.map((t, i) =>
              t.className ? (
                <span key={i} className={t.className}>
                  {t.text}
                </span>
              ) : (
                t.text
              )
            )
          : line.text}
        {sets && (
          <span className="jp-labtrack-CodeDiff-sets">
            {sets.map(name => (
              <span key={name} className="jp-labtrack-CodeDiff-param">
                {name}
              </span>
            ))}
          </span>
        )}
      </td>
    </tr>
  );
}

/**
 * The cell code of compared runs as unified diffs against the first run: runs with the same
 * code share one diff; lines that set a differing param are marked with its name.
 */
export function CodeDiff(props: ICodeDiffProps): JSX.Element {
  const { runs, params, focus = null, highlight } = props;
  const rootRef = useRef<HTMLDivElement>(null);
  const base = runs.find(run => run.code !== null && run.code !== '');
  const groups = useMemo(() => {
    const byCode = new Map<string, ICodeRun[]>();
    for (const run of runs) {
      if (run !== base && run.code && run.code !== base?.code) {
        byCode.set(run.code, [...(byCode.get(run.code) ?? []), run]);
      }
    }
    return [...byCode.entries()];
  }, [runs, base]);
  const codes = useMemo(
    () => (base?.code ? [base.code, ...groups.map(([code]) => code)] : []),
    [base, groups]
  );
  const highlighted = useHighlighted(codes, highlight);

  useEffect(() => {
    if (!focus || !rootRef.current) {
      return;
    }
    const target = [
      ...rootRef.current.querySelectorAll<HTMLElement>('[data-params]')
    ].find(row => row.dataset.params?.split(' ').includes(focus));
    const details = target?.closest('details');
    if (details) {
      details.open = true;
    }
    target?.scrollIntoView?.({ block: 'center' });
  }, [focus, highlighted]);

  if (!base || !base.code) {
    return (
      <p className="jp-labtrack-muted">
        No code recorded for these runs (runs from %%track record their cell).
      </p>
    );
  }
  const baseLines = splitCode(base.code);
  const same = runs.filter(run => run !== base && run.code === base.code);
  const without = runs.filter(run => !run.code);
  const names = (list: readonly ICodeRun[]): string =>
    list.map(run => `#${run.number}`).join(', ');

  return (
    <div className="jp-labtrack-CodeDiff" ref={rootRef}>
      <p className="jp-labtrack-CodeDiff-summary">
        Diffs against <strong>{base.label}</strong>.
        {same.length > 0 && ` Same code: ${names(same)}.`}
        {without.length > 0 && ` No code recorded: ${names(without)}.`}
      </p>
      {groups.length === 0 ? (
        <CodeBlock
          title={
            same.length > 0
              ? `${base.label}: the code ${names([base, ...same])} ran`
              : `${base.label}: the only code recorded`
          }
          lines={baseLines.map((text, i) => ({
            kind: 'same',
            text,
            oldNo: i + 1,
            newNo: i + 1
          }))}
          tokensOld={highlighted.get(base.code)}
          tokensNew={highlighted.get(base.code)}
          setsOld={paramLines(baseLines, params)}
          setsNew={paramLines(baseLines, params)}
          focus={focus}
          open
        />
      ) : (
        groups.map(([code, group], index) => {
          const other = splitCode(code);
          const diff = diffLines(baseLines, other);
          const added = diff.filter(l => l.kind === 'add').length;
          const removed = diff.filter(l => l.kind === 'del').length;
          return (
            <CodeBlock
              key={group[0].number}
              run={group[0].number}
              title={`${base.label} → ${group[0].label}${group.length > 1 ? ` (also ${names(group.slice(1))})` : ''}`}
              stats={`+${added} −${removed}`}
              hunks={unifiedHunks(diff)}
              tokensOld={highlighted.get(base.code as string)}
              tokensNew={highlighted.get(code)}
              setsOld={paramLines(baseLines, params)}
              setsNew={paramLines(other, params)}
              focus={focus}
              open={index < OPEN_BLOCKS}
            />
          );
        })
      )}
    </div>
  );
}

interface ICodeBlockProps {
  title: string;
  run?: number;
  stats?: string;
  /** The hunks of a diff, or every line of one code. */
  hunks?: { header: string; lines: IDiffLine[] }[];
  lines?: IDiffLine[];
  tokensOld?: IToken[][];
  tokensNew?: IToken[][];
  setsOld: Map<number, string[]>;
  setsNew: Map<number, string[]>;
  focus: string | null;
  open: boolean;
}

/** One diff (or one code) in a fold, as a table of lines. */
function CodeBlock(props: ICodeBlockProps): JSX.Element {
  const { title, run, stats, hunks, lines, tokensOld, tokensNew } = props;
  const { setsOld, setsNew, focus, open } = props;
  const row = (line: IDiffLine, i: number): JSX.Element => {
    const fromNew = line.newNo !== null;
    const no = ((fromNew ? line.newNo : line.oldNo) as number) - 1;
    return (
      <DiffRow
        key={i}
        line={line}
        tokens={(fromNew ? tokensNew : tokensOld)?.[no]}
        sets={
          line.kind === 'same' && !fromNew
            ? undefined
            : (fromNew ? setsNew : setsOld).get(no)
        }
        focus={focus}
      />
    );
  };
  return (
    <details className="jp-labtrack-CodeDiff-block" data-run={run} open={open}>
      <summary>
        <span className="jp-labtrack-CodeDiff-title">{title}</span>
        {stats && <span className="jp-labtrack-CodeDiff-stats">{stats}</span>}
      </summary>
      <table className="jp-labtrack-CodeDiff-table jp-mod-code">
        {hunks ? (
          hunks.map((hunk, h) => (
            <tbody key={h}>
              <tr className="jp-labtrack-CodeDiff-hunk">
                <td colSpan={4}>{hunk.header}</td>
              </tr>
              {hunk.lines.map(row)}
            </tbody>
          ))
        ) : (
          <tbody>{(lines ?? []).map(row)}</tbody>
        )}
      </table>
    </details>
  );
}
