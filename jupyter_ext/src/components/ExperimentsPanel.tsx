import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import React from 'react';

import { useSignals } from '../hooks';
import { ExperimentsModel } from '../model';
import { IRunActions, PanelTab } from '../tokens';
import { ConnectionBanner } from './ConnectionBanner';
import { HypothesesView } from './HypothesesView';
import { RunsView } from './RunsView';
import { StoreSummary } from './StoreSummary';

export interface IExperimentsPanelProps {
  model: ExperimentsModel;
  actions: IRunActions;
}

const TABS: { id: PanelTab; label: string; title: string }[] = [
  {
    id: 'runs',
    label: 'Runs',
    title: 'The runs of the store: filter, sort, select, compare'
  },
  {
    id: 'hypotheses',
    label: 'Hypotheses',
    title: 'The hypotheses and their verdicts'
  }
];

/** The side panel: a header with the Runs / Hypotheses tabs and refresh, the view, the store. */
export function ExperimentsPanel(props: IExperimentsPanelProps): JSX.Element {
  const { model, actions } = props;
  useSignals(model.changed, model.view.changed, model.hypothesesChanged);
  const count = model.hypotheses.length;
  return (
    <div className="jp-labtrack-ExperimentsPanel">
      <header className="jp-labtrack-header">
        <nav className="jp-labtrack-tabs" role="tablist">
          {TABS.map(tab => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              aria-selected={model.view.tab === tab.id}
              className={`jp-labtrack-tab${model.view.tab === tab.id ? ' jp-mod-active' : ''}`}
              data-tab={tab.id}
              id={`labtrack-tab-${tab.id}`}
              title={tab.title}
              tabIndex={model.view.tab === tab.id ? 0 : -1}
              onClick={() => (model.view.tab = tab.id)}
              onKeyDown={event => {
                // The tablist pattern: arrows move between the tabs, Tab leaves them.
                if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                  event.preventDefault();
                  const index = TABS.findIndex(t => t.id === tab.id);
                  const step = event.key === 'ArrowRight' ? 1 : -1;
                  const next = TABS[(index + step + TABS.length) % TABS.length];
                  model.view.tab = next.id;
                  document.getElementById(`labtrack-tab-${next.id}`)?.focus();
                }
              }}
            >
              {tab.label}
              {tab.id === 'hypotheses' && count > 0 ? ` (${count})` : ''}
            </button>
          ))}
        </nav>
        <ToolbarButtonComponent
          icon={refreshIcon}
          onClick={() => void model.refresh()}
          tooltip="Refresh"
          enabled={!model.loading}
        />
      </header>
      {model.connectionLost && (
        <ConnectionBanner detail={model.error} onRetry={() => model.retry()} />
      )}
      {model.view.tab === 'runs' ? (
        <RunsView model={model} actions={actions} />
      ) : (
        <HypothesesView model={model} actions={actions} />
      )}
      <StoreSummary
        status={model.status}
        error={model.connectionLost ? null : model.error}
        loading={model.loading}
      />
    </div>
  );
}
