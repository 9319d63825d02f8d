import React from 'react';

import { IRunActions } from '../tokens';

export interface IRunLinksProps {
  label: string;
  numbers: readonly number[];
  actions: IRunActions;
}

/** `treatment #4 #5 #6`: each number opens that run's details. */
export function RunLinks(props: IRunLinksProps): JSX.Element {
  const { label, numbers, actions } = props;
  return (
    <div className="jp-labtrack-RunLinks">
      <span className="jp-labtrack-label">{label}</span>
      {numbers.length === 0 ? (
        <span className="jp-labtrack-muted">none</span>
      ) : (
        numbers.map(number => (
          <button
            key={number}
            type="button"
            className="jp-labtrack-RunLink"
            data-run={number}
            title={`Open run #${number}`}
            onClick={() => actions.openRun(number)}
          >
            #{number}
          </button>
        ))
      )}
    </div>
  );
}
