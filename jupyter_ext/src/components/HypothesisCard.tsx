import { Button } from '@jupyterlab/ui-components';
import React from 'react';

import { formatNumber, formatSigned } from '../format';
import {
  IDefinition,
  IHypothesis,
  IMultiplicity,
  IRunActions
} from '../tokens';
import { RunLinks } from './RunLinks';
import { VerdictBadge } from './VerdictBadge';

export interface IHypothesisCardProps {
  hypothesis: IHypothesis;
  actions: IRunActions;
}

/** "rose by 0.05" / "fell by 0.05": the effect (treatment − baseline) in the user's words. */
function moved(effect: number | null): string {
  if (effect === null) {
    return '—';
  }
  if (effect === 0) {
    return 'no change';
  }
  return `${effect > 0 ? 'rose' : 'fell'} by ${formatNumber(Math.abs(effect))}`;
}

function sameDefinition(
  a?: IDefinition | null,
  b?: IDefinition | null
): boolean {
  return !a || !b || (a.goal === b.goal && a.summary === b.summary);
}

function multiplicityText(m: IMultiplicity): string {
  const tested = `${m.tested} hypothes${m.tested === 1 ? 'is' : 'es'} tested in this experiment`;
  if (m.p_adjusted === null) {
    return tested;
  }
  const method = m.method === 'holm' ? 'Holm' : 'BH';
  return `${tested} · ${method}-adjusted p = ${formatNumber(m.p_adjusted)}`;
}

/** One hypothesis: its statement, metric and verdict, with the evidence and the runs behind it. */
export function HypothesisCard(props: IHypothesisCardProps): JSX.Element {
  const { hypothesis, actions } = props;
  const verdict = hypothesis.verdict;
  const arrow = hypothesis.expect === 'increase' ? '↑' : '↓';
  const confounds = verdict?.confounds ?? [];
  const notes = [...(verdict?.comparability ?? []), ...(verdict?.notes ?? [])];
  const baselineFilter = hypothesis.baseline?.filter;
  const stated = hypothesis.definition;
  const now = hypothesis.current_definition;
  const runs = verdict
    ? [...verdict.treatment_runs, ...verdict.baseline_runs]
    : [];
  return (
    <article
      className="jp-labtrack-HypothesisCard"
      data-hypothesis={hypothesis.id}
    >
      <header className="jp-labtrack-HypothesisCard-head">
        <span className="jp-labtrack-HypothesisTag">H{hypothesis.id}</span>
        {verdict ? (
          <VerdictBadge
            label={verdict.label}
            weak={verdict.weak}
            badge={verdict.badge}
            confounds={confounds}
          />
        ) : (
          <VerdictBadge label="untested" weak={false} />
        )}
        {hypothesis.status === 'closed' && (
          <span className="jp-labtrack-HypothesisCard-closed">closed</span>
        )}
      </header>
      <p className="jp-labtrack-HypothesisCard-statement">
        {hypothesis.statement}
      </p>
      <div className="jp-labtrack-HypothesisCard-metric">
        <span className="jp-labtrack-label">metric</span> {hypothesis.metric}{' '}
        {arrow} {hypothesis.expect}
        {hypothesis.min_effect
          ? `, by ≥ ${formatNumber(hypothesis.min_effect)}`
          : ''}
        {hypothesis.change && (
          <span className="jp-labtrack-HypothesisCard-change">
            {' '}
            · testing <code>{hypothesis.change}</code>
          </span>
        )}
      </div>
      {confounds.length > 0 && (
        <ul className="jp-labtrack-HypothesisCard-confounds" role="alert">
          {confounds.map(confound => (
            <li key={confound}>⚠ confound: {confound}</li>
          ))}
        </ul>
      )}
      {verdict && (
        <dl className="jp-labtrack-Evidence">
          <dt title="treatment − baseline, in the metric's units">effect</dt>
          <dd
            className="jp-labtrack-Evidence-effect"
            data-effect={verdict.effect ?? ''}
          >
            {formatSigned(verdict.effect)}{' '}
            <span className="jp-labtrack-Evidence-moved">
              ({hypothesis.metric} {moved(verdict.effect)})
            </span>
          </dd>
          <dt>interval</dt>
          <dd className="jp-labtrack-Evidence-interval">
            {verdict.ci_low === null && verdict.ci_high === null
              ? '—'
              : `[${formatSigned(verdict.ci_low)}, ${formatSigned(verdict.ci_high)}]`}
            {verdict.confidence && verdict.ci_low !== null
              ? ` (${Math.round(verdict.confidence * 100)} %${
                  verdict.anytime ? ', anytime-valid' : ', one look'
                })`
              : ''}
          </dd>
          <dt>n</dt>
          <dd className="jp-labtrack-Evidence-n">
            {verdict.n_treatment} treatment · {verdict.n_baseline} baseline
          </dd>
        </dl>
      )}
      {verdict?.reason && (
        <p className="jp-labtrack-HypothesisCard-reason">{verdict.reason}</p>
      )}
      {hypothesis.multiplicity && (
        <p className="jp-labtrack-HypothesisCard-multiplicity">
          {multiplicityText(hypothesis.multiplicity)}
          {hypothesis.multiplicity.note && (
            <strong className="jp-labtrack-HypothesisCard-adjusted">
              {' '}
              · {hypothesis.multiplicity.note}
            </strong>
          )}
        </p>
      )}
      {!sameDefinition(stated, now) && stated && now && (
        <p className="jp-labtrack-HypothesisCard-definition">
          metric definition: stated as {stated.summary} ({stated.goal}), now{' '}
          {now.summary} ({now.goal}); the verdict keeps the stated one
        </p>
      )}
      {baselineFilter && (
        <p className="jp-labtrack-HypothesisCard-baseline">
          baseline <code>{baselineFilter}</code>, frozen when stated
        </p>
      )}
      {notes.length > 0 && (
        <details className="jp-labtrack-HypothesisCard-notes">
          <summary>notes ({notes.length})</summary>
          <ul>
            {notes.map(note => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}
      {verdict && (
        <div className="jp-labtrack-HypothesisCard-runs">
          <RunLinks
            label="treatment"
            numbers={verdict.treatment_runs}
            actions={actions}
          />
          <RunLinks
            label="baseline"
            numbers={verdict.baseline_runs}
            actions={actions}
          />
        </div>
      )}
      {runs.length > 1 && (
        <Button
          small
          minimal
          className="jp-labtrack-HypothesisCard-compare"
          onClick={() => actions.compare(runs)}
        >
          Compare these runs
        </Button>
      )}
      {hypothesis.note && (
        <p className="jp-labtrack-HypothesisCard-note">{hypothesis.note}</p>
      )}
    </article>
  );
}
