import React from 'react';

import { VerdictLabel } from '../tokens';

export interface IVerdictBadgeProps {
  label: VerdictLabel;
  weak: boolean;
}

/**
 * A verdict as a badge: supported green, refuted red, inconclusive amber, untested grey, with
 * "(weak)" when one run a side decided it.
 */
export function VerdictBadge(props: IVerdictBadgeProps): JSX.Element {
  const { label, weak } = props;
  return (
    <span
      className={`jp-labtrack-VerdictBadge jp-mod-${label}${weak ? ' jp-mod-weak' : ''}`}
      data-verdict={label}
      title={weak ? `${label}, on weak evidence (one run a side)` : label}
    >
      {label}
      {weak && <span className="jp-labtrack-VerdictBadge-weak"> (weak)</span>}
    </span>
  );
}
