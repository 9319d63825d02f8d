import { Notification } from '@jupyterlab/apputils';
import { Button, downloadIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { LabtrackClient } from '../client';
import { downloadBlob } from '../download';
import { formatBytes } from '../format';
import { messageOf } from '../model';
import { IArtifact } from '../tokens';
import { ArtifactImage } from './ArtifactImage';

export interface IArtifactListProps {
  client: LabtrackClient;
  artifacts: readonly IArtifact[];
}

/** A run's artifacts: images inline, every file downloadable. */
export function ArtifactList(props: IArtifactListProps): JSX.Element {
  const { client, artifacts } = props;
  if (artifacts.length === 0) {
    return <p className="jp-labtrack-muted">No artifacts.</p>;
  }
  const download = async (artifact: IArtifact): Promise<void> => {
    try {
      const file = await client.artifact(artifact.sha256, artifact.name);
      downloadBlob(file.blob, file.filename ?? artifact.name);
    } catch (error) {
      Notification.error(`Download failed: ${messageOf(error)}`, {
        autoClose: 8000
      });
    }
  };
  const images = artifacts.filter(a => a.media_type.startsWith('image/'));
  return (
    <div className="jp-labtrack-ArtifactList">
      {images.length > 0 && (
        <div className="jp-labtrack-ArtifactList-images">
          {images.map(artifact => (
            <figure
              key={artifact.sha256 + artifact.name}
              className="jp-labtrack-ArtifactList-figure"
            >
              <ArtifactImage client={client} artifact={artifact} />
              <figcaption>{artifact.name}</figcaption>
            </figure>
          ))}
        </div>
      )}
      <table className="jp-labtrack-Table">
        <tbody>
          {artifacts.map(artifact => (
            <tr
              key={artifact.sha256 + artifact.name}
              data-artifact={artifact.name}
            >
              <th scope="row">{artifact.name}</th>
              <td className="jp-labtrack-muted">{artifact.media_type}</td>
              <td className="jp-mod-numeric">{formatBytes(artifact.size)}</td>
              <td>
                <Button
                  small
                  minimal
                  title={`Download ${artifact.name}`}
                  onClick={() => void download(artifact)}
                >
                  <downloadIcon.react
                    tag="span"
                    className="jp-labtrack-inlineIcon"
                  />
                  Download
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
