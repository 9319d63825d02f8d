import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { commandActions } from '../actions';
import { brushFilter } from '../brush';
import { CompareView } from '../components/CompareView';
import { RunDetailsView } from '../components/RunDetailsView';
import { addToMainOrDown } from '../downArea';
import { makeHighlighter } from '../highlight';
import { flaskIcon } from '../icons';
import { messageOf } from '../model';
import { openCell } from '../notebook';
import { CommandIDs, ILabtrack } from '../tokens';

/** Run numbers from a command's `runs` argument (an array or "1,2,3"), else none. */
function runsArg(value: unknown): number[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',')
      : [];
  return items.map(Number).filter(n => Number.isInteger(n) && n > 0);
}

/** The compare view and run details in the main area, and "Open in notebook". */
export const viewsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'labtrack:views',
  description:
    'labtrack main-area views: compare runs, run details, open a run in its notebook.',
  autoStart: true,
  requires: [ILabtrack],
  optional: [IDocumentManager, INotebookTracker, IEditorLanguageRegistry],
  activate: (
    app: JupyterFrontEnd,
    labtrack: ILabtrack,
    docManager: IDocumentManager | null,
    notebooks: INotebookTracker | null,
    languages: IEditorLanguageRegistry | null
  ) => {
    const { client, model } = labtrack;
    const { commands, shell } = app;
    const tracker = new WidgetTracker<MainAreaWidget>({
      namespace: 'labtrack-views'
    });
    const actions = commandActions(commands);
    const highlight = languages ? makeHighlighter(languages) : undefined;

    const show = (
      id: string,
      label: string,
      render: () => JSX.Element
    ): void => {
      const existing = tracker.find(widget => widget.id === id);
      if (existing) {
        shell.activateById(id);
        return;
      }
      const content = ReactWidget.create(render());
      content.addClass('jp-labtrack-MainView');
      const widget = new MainAreaWidget({ content });
      widget.id = id;
      widget.title.label = label;
      widget.title.icon = flaskIcon;
      widget.title.closable = true;
      void tracker.add(widget);
      addToMainOrDown(shell, widget); // Notebook 7: its bottom area
      shell.activateById(id);
    };

    commands.addCommand(CommandIDs.compare, {
      label: 'Compare selected runs',
      caption: 'Compare the runs selected in the Experiments panel',
      icon: flaskIcon,
      isEnabled: args =>
        runsArg(args.runs).length > 0 || model.view.selection.size >= 2,
      execute: args => {
        const given = runsArg(args.runs);
        const runs = given.length > 0 ? given : model.view.selectedNumbers;
        if (runs.length === 0) {
          return;
        }
        const sorted = [...new Set(runs)].sort((a, b) => a - b);
        const key = sorted.join('-');
        const label =
          sorted.length <= 4
            ? `Compare #${sorted.join(', #')}`
            : `Compare ${sorted.length} runs`;
        show(`labtrack-compare-${key}`, label, () => (
          <CompareView
            client={client}
            runs={sorted}
            actions={actions}
            highlight={highlight}
          />
        ));
      }
    });

    // A brush narrows the user's filter; clearing it gives that filter back (unless the user
    // typed another filter meanwhile).
    let beforeBrush: string | null = null;
    let brushFilterText = '';
    commands.addCommand(CommandIDs.filterRuns, {
      label: 'Show only these runs in the runs table',
      caption:
        'Filter the runs table to the given runs (clear: the filter it had)',
      execute: args => {
        if (beforeBrush !== null && model.filter !== brushFilterText) {
          beforeBrush = null; // the user changed the filter since
        }
        if (args.clear || !Array.isArray(args.runs)) {
          if (beforeBrush !== null) {
            void model.applyFilter(beforeBrush);
            beforeBrush = null;
          }
          return;
        }
        if (beforeBrush === null) {
          beforeBrush = model.filter;
        }
        brushFilterText = brushFilter(runsArg(args.runs), beforeBrush);
        void model.applyFilter(brushFilterText);
      }
    });

    commands.addCommand(CommandIDs.openRun, {
      label: args => (args.number ? `Run #${args.number}` : 'Show run details'),
      caption: 'Open the details of a run (the selected one by default)',
      isEnabled: args =>
        Number(args.number) > 0 || model.view.selection.size > 0,
      execute: args => {
        const number = Number(args.number) || model.view.selectedNumbers[0];
        if (!number) {
          return;
        }
        show(`labtrack-run-${number}`, `Run #${number}`, () => (
          <RunDetailsView client={client} number={number} actions={actions} />
        ));
      }
    });

    commands.addCommand(CommandIDs.openInNotebook, {
      label: 'Open selected run in notebook',
      caption: 'Open the notebook that recorded a run and go to its cell',
      isEnabled: args =>
        docManager !== null &&
        (Number(args.number) > 0 || model.view.selection.size > 0),
      execute: async args => {
        const number = Number(args.number) || model.view.selectedNumbers[0];
        if (!number || docManager === null) {
          return;
        }
        try {
          const run = await client.run(number);
          if (!run.notebook_path) {
            Notification.warning(
              `Run #${number} was not recorded in a notebook under the Jupyter root.`,
              { autoClose: 6000 }
            );
            return;
          }
          await openCell(docManager, notebooks, {
            path: run.notebook_path,
            code: run.code,
            executionCount: run.execution_count
          });
        } catch (error) {
          Notification.error(
            `Could not open run #${number}: ${messageOf(error)}`,
            {
              autoClose: 8000
            }
          );
        }
      }
    });
  }
};
