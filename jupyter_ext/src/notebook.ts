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
 * scrolled into view as soon as the notebook has loaded (no jump seconds later). Returns the
 * cell's index, or -1 when no cell matched (the notebook is then open at its top, and a
 * notification says why).
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
  // Not `revealed`: the cells are attached and scrolled to as soon as the model is loaded.
  await panel.context.ready;
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
  // Cells attach on idle CPU time (seconds in a long notebook) and the notebook's own scroll
  // waits for them: attach those up to the cell now and scroll its node into view at once.
  for (let i = 0; i <= index; i++) {
    notebook.renderCellOutputs?.(i);
  }
  notebook.deselectAll();
  notebook.mode = 'command';
  notebook.activeCellIndex = index;
  const cell = notebook.widgets[index];
  await new Promise(resolve => requestAnimationFrame(resolve)); // the cells laid out
  cell.node.scrollIntoView({ block: 'center' });
  cell.node.focus({ preventScroll: true });
  return index;
}
