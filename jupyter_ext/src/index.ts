import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { flaskIcon } from './icons';
import { ExperimentsModel } from './model';
import { CommandIDs, PANEL_ID } from './tokens';
import { ExperimentsWidget } from './widget';

/** Adds the "Experiments" tab to the left side panel. */
const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'labtrack:panel',
  description: 'The labtrack Experiments side panel.',
  autoStart: true,
  optional: [ILayoutRestorer],
  activate: (app: JupyterFrontEnd, restorer: ILayoutRestorer | null) => {
    const model = new ExperimentsModel(app.serviceManager.serverSettings);
    const widget = new ExperimentsWidget(model);
    widget.id = PANEL_ID;
    widget.title.icon = flaskIcon;
    widget.title.caption = 'Experiments';
    app.shell.add(widget, 'left', { rank: 300 });
    restorer?.add(widget, PANEL_ID);

    app.commands.addCommand(CommandIDs.open, {
      label: 'Open Experiments',
      execute: () => app.shell.activateById(PANEL_ID)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh Experiments',
      execute: () => model.refresh()
    });
    void model.refresh();
  }
};

export default [panelPlugin];
