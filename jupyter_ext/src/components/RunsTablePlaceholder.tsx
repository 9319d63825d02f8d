import React from 'react';

export interface IRunsTablePlaceholderProps {
  runs: number;
}

/** Stands where the runs table will be; tells the user how to record a first run. */
export function RunsTablePlaceholder(
  props: IRunsTablePlaceholderProps
): JSX.Element {
  return (
    <div className="jp-labtrack-RunsTablePlaceholder">
      {props.runs === 0 ? (
        <p>
          No runs yet. In a notebook, run <code>%load_ext labtrack</code> and
          start a cell with <code>%%track</code>.
        </p>
      ) : (
        <p>The runs table will appear here.</p>
      )}
    </div>
  );
}
