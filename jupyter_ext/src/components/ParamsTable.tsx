import React from 'react';

import { shownParams } from '../comparison';
import { IComparison } from '../tokens';
import { RunHeading } from './RunHeading';

export interface IParamsTableProps {
  comparison: IComparison;
  differencesOnly: boolean;
  /** The colour of a run (as in the charts). */
  colorOf: (run: number) => string;
  /** Params whose setting lines the code diff shows: their names link there. */
  linked?: ReadonlySet<string>;
  onShowLines?: (param: string) => void;
}

/**
 * Params side by side, one column a run; rows whose values differ are marked. The header row and
 * the names stay in view while the table scrolls (50 runs fit); a differing param's name links
 * to the code lines that set it.
 */
export function ParamsTable(props: IParamsTableProps): JSX.Element {
  const { comparison, differencesOnly, colorOf, linked, onShowLines } = props;
  const params = shownParams(comparison.params, differencesOnly);
  if (params.length === 0) {
    return (
      <p className="jp-labtrack-muted">
        {differencesOnly
          ? 'All params are the same in these runs.'
          : 'No params recorded.'}
      </p>
    );
  }
  return (
    <div className="jp-labtrack-tableScroll jp-labtrack-stickyTable">
      <table className="jp-labtrack-Table jp-labtrack-ParamsTable">
        <thead>
          <tr>
            <th scope="col">param</th>
            {comparison.runs.map(run => (
              <th key={run.number} scope="col">
                <RunHeading label={run.label} color={colorOf(run.number)} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {params.map(param => (
            <tr
              key={param.name}
              className={param.differs ? 'jp-mod-differs' : undefined}
              data-param={param.name}
            >
              <th scope="row" title={param.name}>
                {param.differs && linked?.has(param.name) && onShowLines ? (
                  <button
                    type="button"
                    className="jp-labtrack-ParamLink"
                    title={`Show the code lines that set ${param.name}`}
                    onClick={() => onShowLines(param.name)}
                  >
                    {param.name}
                  </button>
                ) : (
                  param.name
                )}
              </th>
              {comparison.runs.map(run => {
                const value = param.values.find(v => v.run === run.number);
                return (
                  <td
                    key={run.number}
                    className={
                      value?.type === 'missing' ? 'jp-mod-missing' : ''
                    }
                    title={value?.display ?? undefined}
                  >
                    {value?.display ?? '—'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
