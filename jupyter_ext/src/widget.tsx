import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { ExperimentsPanel } from './components/ExperimentsPanel';
import { ExperimentsModel } from './model';

/** The Lumino widget that hosts the React panel and re-renders it on model changes. */
export class ExperimentsWidget extends ReactWidget {
  constructor(model: ExperimentsModel) {
    super();
    this._model = model;
    this.addClass('jp-labtrack-ExperimentsWidget');
  }

  get model(): ExperimentsModel {
    return this._model;
  }

  protected render(): JSX.Element {
    const model = this._model;
    return (
      <UseSignal signal={model.changed}>
        {() => (
          <ExperimentsPanel
            status={model.status}
            error={model.error}
            loading={model.loading}
            onRefresh={() => void model.refresh()}
          />
        )}
      </UseSignal>
    );
  }

  private _model: ExperimentsModel;
}
