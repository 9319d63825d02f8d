import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStateDB } from '@jupyterlab/statedb';

import { commandActions } from '../actions';
import { LabtrackClient } from '../client';
import { ColumnMemory } from '../columnMemory';
import { flaskIcon } from '../icons';
import { ExperimentsModel } from '../model';
import { CommandIDs, ILabtrack, PANEL_ID } from '../tokens';
import { ExperimentsWidget } from '../widget';

/** The "Experiments" tab of the left side panel, its model, and the panel's commands. */
export const panelPlugin: JupyterFrontEndPlugin<ILabtrack> = {
  id: 'labtrack:panel',
  description:
    'The labtrack Experiments side panel: runs and hypotheses of the store.',
  autoStart: true,
  provides: ILabtrack,
  optional: [ILayoutRestorer, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    stateDB: IStateDB | null
  ): ILabtrack => {
    const client = new LabtrackClient(app.serviceManager.serverSettings);
    const model = new ExperimentsModel(client);
    const { commands, shell } = app;
    const actions = commandActions(commands);
    const widget = new ExperimentsWidget(model, actions);
    widget.id = PANEL_ID;
    widget.title.icon = flaskIcon;
    widget.title.caption = 'Experiments';
    shell.add(widget, 'left', { rank: 300 });
    restorer?.add(widget, PANEL_ID);
    if (stateDB !== null) {
      // The chosen columns are remembered per store (the store's path is the key).
      new ColumnMemory(model, stateDB);
    }

    commands.addCommand(CommandIDs.open, {
      label: 'Open experiments panel',
      caption: 'Show the runs of the labtrack store',
      icon: flaskIcon,
      execute: () => {
        model.view.tab = 'runs';
        shell.activateById(PANEL_ID);
      }
    });
    commands.addCommand(CommandIDs.hypotheses, {
      label: 'Show hypotheses',
      caption: 'Show the hypotheses and their verdicts',
      execute: () => {
        model.view.tab = 'hypotheses';
        shell.activateById(PANEL_ID);
      }
    });
    commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh',
      caption: 'Reload the runs and hypotheses from the store',
      execute: () => model.refresh()
    });
    return { client, model };
  }
};
