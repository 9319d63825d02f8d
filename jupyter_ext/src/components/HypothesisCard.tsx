import { Button } from '@jupyterlab/ui-components';
import React from 'react';

import { formatNumber, formatSigned } from '../format';
import { IHypothesis, IRunActions } from '../tokens';
import { RunLinks } from './RunLinks';
import { VerdictBadge } from './VerdictBadge';

export interface IHypothesisCardProps {
  hypothesis: IHypothesis;
  actions: IRunActions;
}

/** One hypothesis: its statement, metric and verdict, with the evidence and the runs behind it. */
export function HypothesisCard(props: IHypothesisCardProps): JSX.Element {
  const { hypothesis, actions } = props;
  const verdict = hypothesis.verdict;
  const arrow = hypothesis.expect === 'increase' ? '↑' : '↓';
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
          <VerdictBadge label={verdict.label} weak={verdict.weak} />
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
      </div>
      {verdict && (
        <dl className="jp-labtrack-Evidence">
          <dt>effect</dt>
          <dd className="jp-labtrack-Evidence-effect">
            {formatSigned(verdict.effect)}
          </dd>
          <dt>interval</dt>
          <dd className="jp-labtrack-Evidence-interval">
            {verdict.ci_low === null && verdict.ci_high === null
              ? '—'
              : `[${formatSigned(verdict.ci_low)}, ${formatSigned(verdict.ci_high)}]`}
            {verdict.confidence && verdict.ci_low !== null
              ? ` (${Math.round(verdict.confidence * 100)} %)`
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
