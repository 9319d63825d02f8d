import React from 'react';

import { shownParams } from '../comparison';
import { IComparison } from '../tokens';
import { RunHeading } from './RunHeading';

export interface IParamsTableProps {
  comparison: IComparison;
  differencesOnly: boolean;
  /** The colour of a run (as in the charts). */
  colorOf: (run: number) => string;
}

/** Params side by side, one column a run; rows whose values differ are marked. */
export function ParamsTable(props: IParamsTableProps): JSX.Element {
  const { comparison, differencesOnly, colorOf } = props;
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
    <div className="jp-labtrack-tableScroll">
      <table className="jp-labtrack-Table jp-labtrack-ParamsTable">
        <thead>
          <tr>
            <th>param</th>
            {comparison.runs.map(run => (
              <th key={run.number}>
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
              <th scope="row">{param.name}</th>
              {comparison.runs.map(run => {
                const value = param.values.find(v => v.run === run.number);
                return (
                  <td
                    key={run.number}
                    className={
                      value?.type === 'missing' ? 'jp-mod-missing' : ''
                    }
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
