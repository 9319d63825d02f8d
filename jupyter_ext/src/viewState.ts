import { ISignal, Signal } from '@lumino/signaling';

import { ClickMode, clickSelection } from './runs';
import { GroupBy, ISort, PanelTab } from './tokens';

/**
 * What the user chose in the side panel: the tab, how the table is sorted and grouped, and the
 * selected runs (which "Compare selected runs" uses).
 *
 * @example
 * view.click(12, 'toggle', order);
 */
export class ViewState {
  /** The tab, the sorting or the grouping changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get selectionChanged(): ISignal<this, void> {
    return this._selectionChanged;
  }

  get tab(): PanelTab {
    return this._tab;
  }

  set tab(value: PanelTab) {
    if (this._tab !== value) {
      this._tab = value;
      this._changed.emit();
    }
  }

  get groupBy(): GroupBy {
    return this._groupBy;
  }

  set groupBy(value: GroupBy) {
    if (this._groupBy !== value) {
      this._groupBy = value;
      this._changed.emit();
    }
  }

  get sorting(): ISort[] {
    return this._sorting;
  }

  set sorting(value: ISort[]) {
    this._sorting = value;
    this._changed.emit();
  }

  /** The optional columns the user chose (ids such as `params.lr`), or null for the defaults. */
  get columns(): readonly string[] | null {
    return this._columns;
  }

  set columns(value: readonly string[] | null) {
    if (JSON.stringify(this._columns) !== JSON.stringify(value)) {
      this._columns = value === null ? null : [...value];
      this._changed.emit();
      this._columnsChanged.emit();
    }
  }

  /** The user's column choice changed (the panel saves it per store). */
  get columnsChanged(): ISignal<this, void> {
    return this._columnsChanged;
  }

  get selection(): ReadonlySet<number> {
    return this._selection;
  }

  /** The selected runs in ascending number order. */
  get selectedNumbers(): number[] {
    return [...this._selection].sort((a, b) => a - b);
  }

  /** Change the selection as a click on run `target` does; `order` is the display order. */
  click(target: number, mode: ClickMode, order: readonly number[]): void {
    this._selection = clickSelection(
      this._selection,
      order,
      this._anchor,
      target,
      mode
    );
    if (mode !== 'range' || this._anchor === null) {
      this._anchor = target;
    }
    this._selectionChanged.emit();
  }

  /** Select exactly `numbers`. */
  setSelection(numbers: Iterable<number>): void {
    this._selection = new Set(numbers);
    this._anchor = null;
    this._selectionChanged.emit();
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private _tab: PanelTab = 'runs';
  private _groupBy: GroupBy = 'none';
  private _sorting: ISort[] = [{ id: 'number', desc: true }];
  private _columns: string[] | null = null;
  private _columnsChanged = new Signal<this, void>(this);
  private _selection = new Set<number>();
  private _anchor: number | null = null;
  private _changed = new Signal<this, void>(this);
  private _selectionChanged = new Signal<this, void>(this);
}
