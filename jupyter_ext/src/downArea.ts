import { JupyterFrontEnd } from '@jupyterlab/application';
import { SplitPanel, Widget } from '@lumino/widgets';

/**
 * Show `widget` in the main area; where the main area holds one document only (Notebook 7's
 * notebook page), show it in the bottom ("down") area instead, opened to `share` of the height.
 *
 * @example
 * addToMainOrDown(app.shell, compareWidget);
 */
export function addToMainOrDown(
  shell: JupyterFrontEnd.IShell,
  widget: Widget,
  share = 0.5
): void {
  shell.add(widget, 'main');
  if (widget.isAttached) {
    return;
  }
  shell.add(widget, 'down');
  // The down area starts as a bare tab bar: give it a share of the split it lives in.
  let owner = widget.parent;
  while (owner !== null && !(owner instanceof SplitPanel)) {
    owner = owner.parent;
  }
  if (owner instanceof SplitPanel && owner.widgets.length > 1) {
    const split = owner;
    // After the caller's activateById has shown the (maybe hidden) down area.
    requestAnimationFrame(() => {
      const count = split.widgets.length;
      const sizes = split.widgets.map(() => (1 - share) / (count - 1));
      sizes[count - 1] = share;
      split.setRelativeSizes(sizes);
    });
  }
}
