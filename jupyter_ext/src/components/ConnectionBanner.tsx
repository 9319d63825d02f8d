import { Button } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

export interface IConnectionBannerProps {
  /** What the browser said (e.g. "Failed to fetch"), shown small. */
  detail: string | null;
  onRetry: () => Promise<void>;
}

/**
 * The banner over the panel when the Jupyter server stopped answering: what happened, that the
 * panel keeps trying by itself, and a button to try now.
 */
export function ConnectionBanner(props: IConnectionBannerProps): JSX.Element {
  const { detail, onRetry } = props;
  const [trying, setTrying] = useState(false);
  return (
    <div className="jp-labtrack-ConnectionBanner" role="alert">
      <div className="jp-labtrack-ConnectionBanner-text">
        <strong>Lost the connection to the Jupyter server.</strong> The runs
        shown may be out of date; the panel keeps trying in the background.
        {detail && (
          <span className="jp-labtrack-ConnectionBanner-detail">
            {' '}
            ({detail})
          </span>
        )}
      </div>
      <Button
        small
        className="jp-labtrack-ConnectionBanner-retry"
        disabled={trying}
        onClick={() => {
          setTrying(true);
          onRetry()
            .catch(() => undefined)
            .finally(() => setTrying(false));
        }}
      >
        {trying ? 'Retrying…' : 'Retry now'}
      </Button>
    </div>
  );
}
