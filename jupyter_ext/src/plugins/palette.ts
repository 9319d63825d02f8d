import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { CommandIDs, PALETTE_CATEGORY } from '../tokens';

/** Every labtrack command in the command palette, under "labtrack". */
export const palettePlugin: JupyterFrontEndPlugin<void> = {
  id: 'labtrack:palette',
  description: 'Adds the labtrack commands to the command palette.',
  autoStart: true,
  requires: [ICommandPalette],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette) => {
    for (const command of [
      CommandIDs.open,
      CommandIDs.compare,
      CommandIDs.hypotheses,
      CommandIDs.refresh,
      CommandIDs.openRun,
      CommandIDs.openInNotebook
    ]) {
      palette.addItem({ command, category: PALETTE_CATEGORY });
    }
  }
};
