import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import React from 'react';

import { useSignals } from '../hooks';
import { ExperimentsModel } from '../model';
import { IRunActions, PanelTab } from '../tokens';
import { HypothesesView } from './HypothesesView';
import { RunsView } from './RunsView';
import { StoreSummary } from './StoreSummary';

export interface IExperimentsPanelProps {
  model: ExperimentsModel;
  actions: IRunActions;
}

const TABS: { id: PanelTab; label: string }[] = [
  { id: 'runs', label: 'Runs' },
  { id: 'hypotheses', label: 'Hypotheses' }
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
              onClick={() => (model.view.tab = tab.id)}
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
      {model.view.tab === 'runs' ? (
        <RunsView model={model} actions={actions} />
      ) : (
        <HypothesesView model={model} actions={actions} />
      )}
      <StoreSummary
        status={model.status}
        error={model.error}
        loading={model.loading}
      />
    </div>
  );
}
