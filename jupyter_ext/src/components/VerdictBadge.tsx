import React from 'react';

import { VerdictLabel } from '../tokens';

export interface IVerdictBadgeProps {
  label: VerdictLabel;
  weak: boolean;
  /** The server's badge text, e.g. "untested (anecdote)" or "supported (one look)". */
  badge?: string;
  /** Confound warnings: the badge gets a ⚠ and lists them in its title. */
  confounds?: string[];
}

const MEANING: Record<VerdictLabel, string> = {
  supported: 'the change went the expected way, clearing the minimum effect',
  refuted: 'the change went the opposite way',
  negligible: 'the change is shown to be smaller than the minimum effect',
  inconclusive: 'not enough evidence either way yet',
  untested:
    'too little evidence to test (fewer than 2 usable runs a side, or no spread)'
};

/**
 * A verdict as a badge: supported green, refuted red, negligible blue, inconclusive amber,
 * untested grey; the qualifier of the server's badge text ("anecdote", "one look") after the
 * label, and a ⚠ when other differences between the arms may explain the effect.
 */
export function VerdictBadge(props: IVerdictBadgeProps): JSX.Element {
  const { label, weak } = props;
  const confounds = props.confounds ?? [];
  const qualifier = props.badge?.startsWith(label)
    ? props.badge.slice(label.length).trim()
    : weak
      ? '(weak)'
      : '';
  const title = [
    `${label}: ${MEANING[label]}`,
    ...confounds.map(c => `⚠ ${c}`)
  ];
  return (
    <span
      className={`jp-labtrack-VerdictBadge jp-mod-${label}${weak ? ' jp-mod-weak' : ''}${
        confounds.length ? ' jp-mod-confounded' : ''
      }`}
      data-verdict={label}
      title={title.join('\n')}
    >
      {label}
      {qualifier && (
        <span className="jp-labtrack-VerdictBadge-weak"> {qualifier}</span>
      )}
      {confounds.length > 0 && (
        <span
          className="jp-labtrack-VerdictBadge-confound"
          aria-label="confounded"
        >
          {' '}
          ⚠
        </span>
      )}
    </span>
  );
}
