import React from 'react';

import { RunStatus } from '../tokens';

export interface IStatusBadgeProps {
  status: RunStatus;
  /** Only the glyph (tables); the word is then in the tooltip. */
  compact?: boolean;
}

const GLYPHS: { [status in RunStatus]: string } = {
  running: '●',
  finished: '✓',
  failed: '✕',
  interrupted: '■',
  crashed: '!'
};

/** A run's status as a coloured pill: green finished, blue running, red failed or crashed. */
export function StatusBadge(props: IStatusBadgeProps): JSX.Element {
  const { status, compact } = props;
  return (
    <span
      className={`jp-labtrack-StatusBadge jp-mod-${status}${compact ? ' jp-mod-compact' : ''}`}
      data-status={status}
      title={status}
      aria-label={status}
    >
      <span aria-hidden="true">{GLYPHS[status] ?? '?'}</span>
      {!compact && (
        <span className="jp-labtrack-StatusBadge-text">{status}</span>
      )}
    </span>
  );
}
