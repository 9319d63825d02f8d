import React, { useEffect, useState } from 'react';

import { LabtrackClient } from '../client';
import { useObjectURL } from '../hooks';
import { messageOf } from '../model';
import { IArtifact } from '../tokens';

export interface IArtifactImageProps {
  client: LabtrackClient;
  artifact: IArtifact;
}

/**
 * An image artifact, fetched with the session's credentials (so it shows wherever the server
 * wants a token) and shown from an object URL.
 */
export function ArtifactImage(props: IArtifactImageProps): JSX.Element {
  const { client, artifact } = props;
  const [blob, setBlob] = useState<Blob | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    client.artifact(artifact.sha256, artifact.name).then(
      file => current && setBlob(file.blob),
      (failure: unknown) => current && setError(messageOf(failure))
    );
    return () => {
      current = false;
    };
  }, [client, artifact.sha256]);
  const url = useObjectURL(blob);
  if (error !== null) {
    return <div className="jp-labtrack-error">{error}</div>;
  }
  if (url === null) {
    return (
      <div className="jp-labtrack-ArtifactImage jp-mod-loading">Loading…</div>
    );
  }
  return (
    <img
      className="jp-labtrack-ArtifactImage"
      src={url}
      alt={artifact.name}
      title={artifact.name}
      data-sha={artifact.sha256}
    />
  );
}
