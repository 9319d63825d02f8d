import React from 'react';

import { LabtrackClient } from '../client';
import { useRequest } from '../hooks';
import { ArtifactGallery } from './ArtifactGallery';
import { IChartRun } from './HistoryPanel';

export interface ICompareImagesProps {
  client: LabtrackClient;
  runs: readonly IChartRun[];
}

/** The compared runs' image artifacts side by side (their details load when this mounts). */
export function CompareImages(props: ICompareImagesProps): JSX.Element {
  const { client, runs } = props;
  const key = runs.map(run => run.number).join(',');
  const details = useRequest(
    () => Promise.all(runs.map(run => client.run(run.number))),
    [client, key]
  );
  if (details.error !== null) {
    return <div className="jp-labtrack-error">{details.error}</div>;
  }
  if (details.data === null) {
    return <p className="jp-labtrack-muted">Loading artifacts…</p>;
  }
  return (
    <ArtifactGallery client={client} runs={details.data} chartRuns={runs} />
  );
}
