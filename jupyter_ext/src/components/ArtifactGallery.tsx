import React from 'react';

import { LabtrackClient } from '../client';
import { IArtifact, IRunDetail } from '../tokens';
import { ArtifactImage } from './ArtifactImage';
import { IChartRun } from './HistoryPanel';
import { RunHeading } from './RunHeading';

export interface IArtifactGalleryProps {
  client: LabtrackClient;
  runs: readonly IRunDetail[];
  /** How each run is labelled and coloured elsewhere in the view. */
  chartRuns: readonly IChartRun[];
}

const MAX_NAMES = 12;

/** Image artifacts side by side: one row a name (e.g. `confusion.png`), one column a run. */
export function ArtifactGallery(props: IArtifactGalleryProps): JSX.Element {
  const { client, runs, chartRuns } = props;
  const look = new Map(chartRuns.map(run => [run.number, run]));
  const byName = new Map<string, Map<number, IArtifact>>();
  for (const run of runs) {
    for (const artifact of run.artifacts ?? []) {
      if (artifact.media_type.startsWith('image/')) {
        const row = byName.get(artifact.name) ?? new Map<number, IArtifact>();
        row.set(run.number, artifact);
        byName.set(artifact.name, row);
      }
    }
  }
  if (byName.size === 0) {
    return (
      <p className="jp-labtrack-muted">
        No images among these runs' artifacts.
      </p>
    );
  }
  const names = [...byName.keys()].sort().slice(0, MAX_NAMES);
  return (
    <div className="jp-labtrack-ArtifactGallery">
      {names.map(name => (
        <div
          key={name}
          className="jp-labtrack-ArtifactGallery-row"
          data-artifact={name}
        >
          <div className="jp-labtrack-ArtifactGallery-name">{name}</div>
          <div className="jp-labtrack-ArtifactGallery-images">
            {runs.map(run => {
              const artifact = byName.get(name)?.get(run.number);
              return (
                <figure
                  key={run.number}
                  className="jp-labtrack-ArtifactGallery-cell"
                >
                  <figcaption>
                    <RunHeading
                      label={look.get(run.number)?.label ?? `#${run.number}`}
                      color={look.get(run.number)?.color ?? '#888'}
                    />
                  </figcaption>
                  {artifact ? (
                    <ArtifactImage client={client} artifact={artifact} />
                  ) : (
                    <div className="jp-labtrack-muted">—</div>
                  )}
                </figure>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
