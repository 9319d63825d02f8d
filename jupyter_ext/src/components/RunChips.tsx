import React from 'react';

import { RunHeading } from './RunHeading';

/** A run as its chip shows it. */
export interface IRunChip {
  number: number;
  label: string;
  color: string;
}

export interface IRunChipsProps {
  runs: readonly IRunChip[];
  /** How many chips show before the rest fold into "+N more". */
  shown?: number;
  onOpen: (number: number) => void;
}

/**
 * The compared runs as coloured links to their details; past `shown`, the rest fold into a
 * "+N more" list, so 50 runs take one line.
 */
export function RunChips(props: IRunChipsProps): JSX.Element {
  const { runs, shown = 6, onOpen } = props;
  const first = runs.length > shown + 1 ? runs.slice(0, shown) : runs;
  const rest = runs.slice(first.length);
  return (
    <div className="jp-labtrack-ViewHeader-runs jp-labtrack-RunChips">
      {first.map(run => (
        <RunHeading
          key={run.number}
          label={run.label}
          color={run.color}
          onClick={() => onOpen(run.number)}
        />
      ))}
      {rest.length > 0 && (
        <details className="jp-labtrack-RunChips-more">
          <summary title={`${rest.length} more runs`}>
            +{rest.length} more
          </summary>
          <ul className="jp-labtrack-RunChips-list">
            {rest.map(run => (
              <li key={run.number}>
                <RunHeading
                  label={run.label}
                  color={run.color}
                  onClick={() => onOpen(run.number)}
                />
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
