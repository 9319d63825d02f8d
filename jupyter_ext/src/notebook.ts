import { Notification } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import { findCellIndex, ICellInfo } from './cells';

/** Where a run was recorded: its notebook (relative to the Jupyter root) and cell. */
export interface ICellLocation {
  path: string;
  code: string | null;
  executionCount: number | null;
}

/**
 * Open (or reveal) the notebook at `location.path` and make the recording cell the active one,
 * scrolled into view. Returns the cell's index, or -1 when no cell matched (the notebook is
 * then open at its top, and a notification says why).
 */
export async function openCell(
  docManager: IDocumentManager,
  tracker: INotebookTracker | null,
  location: ICellLocation
): Promise<number> {
  const opened = docManager.openOrReveal(location.path);
  const panel =
    tracker?.find(widget => widget.context.path === location.path) ??
    (opened instanceof NotebookPanel ? opened : null);
  if (!panel) {
    return -1;
  }
  await panel.context.ready;
  await panel.revealed;
  const notebook = panel.content;
  const cells: ICellInfo[] = notebook.widgets.map(cell => {
    const count =
      cell.model.type === 'code' ? cell.model.toJSON().execution_count : null;
    return {
      source: cell.model.sharedModel.getSource(),
      executionCount: typeof count === 'number' ? count : null
    };
  });
  const index = findCellIndex(cells, location.code, location.executionCount);
  if (index < 0) {
    Notification.warning(
      `The cell that recorded this run is no longer in ${location.path}.`,
      { autoClose: 6000 }
    );
    return -1;
  }
  notebook.deselectAll();
  notebook.mode = 'command';
  notebook.activeCellIndex = index;
  await notebook.scrollToItem(index, 'center');
  panel.content.activeCell?.node.focus();
  return index;
}
