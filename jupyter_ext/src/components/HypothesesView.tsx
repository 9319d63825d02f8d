import React from 'react';

import { useSignals } from '../hooks';
import { ExperimentsModel } from '../model';
import { IRunActions } from '../tokens';
import { HypothesisCard } from './HypothesisCard';

export interface IHypothesesViewProps {
  model: ExperimentsModel;
  actions: IRunActions;
}

/** The "Hypotheses" tab: every hypothesis with its verdict badge and evidence. */
export function HypothesesView(props: IHypothesesViewProps): JSX.Element {
  const { model, actions } = props;
  useSignals(model.hypothesesChanged);
  const hypotheses = model.hypotheses;
  const tested = new Map<string, number>();
  for (const h of hypotheses) {
    if (h.multiplicity) {
      tested.set(h.experiment ?? '', h.multiplicity.tested);
    }
  }
  return (
    <div className="jp-labtrack-HypothesesView">
      {model.hypothesesError !== null && (
        <div className="jp-labtrack-error" role="alert">
          {model.hypothesesError}
        </div>
      )}
      {hypotheses.length === 0 && model.hypothesesError === null ? (
        <div className="jp-labtrack-empty">
          <p>No hypotheses yet.</p>
          <p>
            State one in a notebook:{' '}
            <code>%hypothesis "STATEMENT" --metric M --expect increase</code>;
            runs recorded after it test it.
          </p>
        </div>
      ) : (
        tested.size > 0 && (
          <p className="jp-labtrack-HypothesesView-tested">
            tested:{' '}
            {[...tested.entries()]
              .map(
                ([experiment, n]) => `${n} in ${experiment || 'no experiment'}`
              )
              .join(', ')}{' '}
            (p-values adjusted for them, Holm)
          </p>
        )
      )}
      {hypotheses.length > 0 &&
        hypotheses.map(hypothesis => (
          <HypothesisCard
            key={hypothesis.id}
            hypothesis={hypothesis}
            actions={actions}
          />
        ))}
    </div>
  );
}
