import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import React from 'react';

import { ExperimentsPanel } from './components/ExperimentsPanel';
import { ExperimentsModel } from './model';
import { IRunActions } from './tokens';

/** The Lumino widget of the side panel; it starts loading runs the first time it is shown. */
export class ExperimentsWidget extends ReactWidget {
  constructor(model: ExperimentsModel, actions: IRunActions) {
    super();
    this._model = model;
    this._actions = actions;
    this.addClass('jp-labtrack-ExperimentsWidget');
  }

  get model(): ExperimentsModel {
    return this._model;
  }

  protected onAfterShow(): void {
    void this._model.start();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      void this._model.start();
    }
  }

  protected render(): JSX.Element {
    return <ExperimentsPanel model={this._model} actions={this._actions} />;
  }

  private _model: ExperimentsModel;
  private _actions: IRunActions;
}
