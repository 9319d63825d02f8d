import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  Header,
  Row,
  SortingState,
  Updater,
  useReactTable
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { columnMeta, runColumns } from '../columns';
import { groupItems, IGroupItem, NONE_GROUP, TableItem } from '../groups';
import { RunPages } from '../pages';
import { ClickMode } from '../runs';
import { GroupBy, IMetricDefinition, IRun, ISort, IVerdict } from '../tokens';
import { VerdictBadge } from './VerdictBadge';

export interface IRunsTableProps {
  runs: readonly IRun[];
  /** The optional columns as ids (`metrics.acc`, `params.lr`, …; see columnChoice.ts). */
  columns: readonly string[];
  definitions: { readonly [metric: string]: IMetricDefinition };
  hypothesisLabel: (id: number) => string;
  /** A hypothesis's verdict, for the badge on its group row. */
  hypothesisVerdict?: (id: number) => IVerdict | null;
  sorting: ISort[];
  onSortingChange: (sorting: ISort[]) => void;
  groupBy: GroupBy;
  selection: ReadonlySet<number>;
  /** A click on a row: `order` is every run as displayed, for shift-click ranges. */
  onClick: (number: number, mode: ClickMode, order: readonly number[]) => void;
  onSelect: (numbers: number[]) => void;
  onOpen: (number: number) => void;
  /** The table scrolls back to its top when this changes (a new filter, sort or grouping). */
  scrollKey?: string;
  /**
   * A big store's server-side window: rows come from it as they scroll into view, sorted by the
   * server (`runs` are then its loaded rows, and grouping is off).
   */
  pages?: RunPages;
}

const ROW_HEIGHT = 26;

/**
 * The runs table: TanStack Table for columns and sorting, group rows from groups.ts ("(none)"
 * last and folded), TanStack Virtual so only the rows in view are in the DOM.
 */
export function RunsTable(props: IRunsTableProps): JSX.Element {
  const { runs, columns: chosen, definitions, hypothesisLabel } = props;
  const { sorting, groupBy, hypothesisVerdict } = props;
  const { selection, onClick, onSelect, onOpen, onSortingChange, scrollKey } =
    props;
  const { pages } = props;
  // Groups folded by the user; "(none)" starts folded so the grouped runs come first.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(
    () => new Set([NONE_GROUP])
  );
  const [cursor, setCursor] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const columns = useMemo(
    () => runColumns({ columns: chosen, definitions, hypothesisLabel }),
    [chosen.join('\u0000'), definitions, hypothesisLabel]
  );
  useEffect(() => setCollapsed(new Set([NONE_GROUP])), [groupBy]);
  useEffect(() => {
    if (scrollRef.current) {
      scrollRef.current.scrollTop = 0;
    }
  }, [scrollKey, JSON.stringify(sorting), groupBy]);

  const table = useReactTable<IRun>({
    data: runs as IRun[],
    columns,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) =>
      onSortingChange(
        typeof updater === 'function' ? updater(sorting) : updater
      ),
    getRowId: run => String(run.number),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    manualSorting: pages !== undefined, // the server sorted the pages
    enableSortingRemoval: false
  });

  const sortedRows = table.getRowModel().rows;
  const rowOf = useMemo(
    () => new Map(sortedRows.map(row => [row.original.number, row])),
    [sortedRows]
  );
  const items = useMemo(
    () =>
      groupItems(
        sortedRows.map(row => row.original),
        groupBy,
        collapsed
      ),
    [sortedRows, groupBy, collapsed]
  );
  const order = useMemo(
    () => items.flatMap(item => (item.kind === 'run' ? [item.run.number] : [])),
    [items]
  );
  const toggleGroup = (key: string): void =>
    setCollapsed(previous => {
      const next = new Set(previous);
      if (!next.delete(key)) {
        next.add(key);
      }
      return next;
    });
  const count = pages ? (pages.total ?? 0) : items.length;
  const itemAt = (index: number): TableItem | null => {
    if (!pages) {
      return items[index];
    }
    const run = pages.runAt(index);
    return run ? { kind: 'run', run } : null;
  };
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  });

  const slots = virtualizer.getVirtualItems();
  // Group rows span the visible width, not the full (scrollable) width of the columns.
  const visibleWidth =
    scrollRef.current?.clientWidth ?? virtualizer.scrollRect?.width;
  const firstSlot = slots.length > 0 ? slots[0].index : 0;
  const lastSlot = slots.length > 0 ? slots[slots.length - 1].index : 0;
  useEffect(() => {
    pages?.ensure(firstSlot, lastSlot + 1); // fetch the pages scrolled into view
  }, [pages, firstSlot, lastSlot, pages?.version]);

  const headers = table.getHeaderGroups()[0].headers;
  const template = headers
    .map(header =>
      columnMeta(header.column.columnDef.meta).grow
        ? `minmax(${header.getSize()}px, 1fr)`
        : `${header.getSize()}px`
    )
    .join(' ');
  const minWidth = headers.reduce((sum, header) => sum + header.getSize(), 0);
  const allSelected = order.length > 0 && order.every(n => selection.has(n));
  const someSelected = !allSelected && order.some(n => selection.has(n));

  const move = (step: number, extend: boolean): void => {
    if (order.length === 0) {
      return;
    }
    const from = cursor === null ? -1 : order.indexOf(cursor);
    const next = order[Math.min(order.length - 1, Math.max(0, from + step))];
    setCursor(next);
    onClick(next, extend ? 'range' : 'single', order);
    const index = pages
      ? pages.indexOf(next)
      : items.findIndex(
          item => item.kind === 'run' && item.run.number === next
        );
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1, event.shiftKey);
    } else if (event.key === 'Enter' && cursor !== null) {
      onOpen(cursor);
    } else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSelect(order);
    }
  };

  const rowClick = (
    number: number,
    event: React.MouseEvent,
    checkbox: boolean
  ): void => {
    const mode: ClickMode = event.shiftKey
      ? 'range'
      : checkbox || event.ctrlKey || event.metaKey
        ? 'toggle'
        : 'single';
    setCursor(number);
    onClick(number, mode, order);
  };

  const renderGroup = (group: IGroupItem): JSX.Element => {
    const label =
      group.key === NONE_GROUP
        ? '(none)'
        : group.hypothesis !== null
          ? hypothesisLabel(group.hypothesis)
          : group.key;
    const verdict =
      group.hypothesis !== null && hypothesisVerdict
        ? hypothesisVerdict(group.hypothesis)
        : null;
    const count = `${group.count} run${group.count === 1 ? '' : 's'}`;
    return (
      <div
        className="jp-labtrack-RunsTable-group"
        role="row"
        tabIndex={0}
        style={visibleWidth ? { width: visibleWidth } : undefined}
        aria-expanded={group.expanded}
        aria-label={`${label}: ${count}${verdict ? `, ${verdict.label}` : ''}`}
        data-group={label}
        onClick={() => toggleGroup(group.key)}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            event.stopPropagation();
            toggleGroup(group.key);
          }
        }}
      >
        <span className="jp-labtrack-RunsTable-caret" aria-hidden="true">
          {group.expanded ? '▾' : '▸'}
        </span>
        <span className="jp-labtrack-RunsTable-groupLabel" title={label}>
          {label}
        </span>
        {verdict && <VerdictBadge label={verdict.label} weak={verdict.weak} />}
        <span className="jp-labtrack-RunsTable-groupCount" title={count}>
          {group.count}
        </span>
      </div>
    );
  };

  const renderRow = (row: Row<IRun>): JSX.Element => {
    const run = row.original;
    const selected = selection.has(run.number);
    return (
      <div
        className={`jp-labtrack-RunsTable-row${selected ? ' jp-mod-selected' : ''}${
          cursor === run.number ? ' jp-mod-cursor' : ''
        }`}
        role="row"
        aria-selected={selected}
        data-run={run.number}
        data-status={run.status}
        style={{ gridTemplateColumns: template }}
        onClick={event => rowClick(run.number, event, false)}
        onDoubleClick={() => onOpen(run.number)}
      >
        {row.getVisibleCells().map(cell =>
          cell.column.id === 'select' ? (
            <span
              key={cell.id}
              className="jp-labtrack-RunsTable-cell"
              role="gridcell"
            >
              <input
                type="checkbox"
                className="jp-labtrack-RunsTable-check"
                aria-label={`select run ${run.number}`}
                checked={selected}
                onClick={event => {
                  event.stopPropagation();
                  rowClick(run.number, event, true);
                }}
                onChange={() => undefined}
              />
            </span>
          ) : (
            <span
              key={cell.id}
              className={`jp-labtrack-RunsTable-cell${
                columnMeta(cell.column.columnDef.meta).numeric
                  ? ' jp-mod-numeric'
                  : ''
              }`}
              role="gridcell"
              data-column={cell.column.id}
            >
              {flexRender(cell.column.columnDef.cell, cell.getContext())}
            </span>
          )
        )}
      </div>
    );
  };

  const renderHeader = (header: Header<IRun, unknown>): JSX.Element => {
    const meta = columnMeta(header.column.columnDef.meta);
    if (header.column.id === 'select') {
      return (
        <span
          key={header.id}
          className="jp-labtrack-RunsTable-th"
          role="columnheader"
        >
          <input
            type="checkbox"
            aria-label="select all runs shown"
            checked={allSelected}
            ref={element => {
              if (element) {
                element.indeterminate = someSelected;
              }
            }}
            onChange={() => onSelect(allSelected ? [] : order)}
          />
        </span>
      );
    }
    const sorted = header.column.getIsSorted();
    return (
      <button
        key={header.id}
        type="button"
        className={`jp-labtrack-RunsTable-th${meta.numeric ? ' jp-mod-numeric' : ''}${
          sorted ? ' jp-mod-sorted' : ''
        }`}
        role="columnheader"
        aria-sort={
          sorted === 'asc'
            ? 'ascending'
            : sorted === 'desc'
              ? 'descending'
              : 'none'
        }
        data-column={header.column.id}
        title={meta.title ? `${meta.title} — click to sort` : 'click to sort'}
        onClick={header.column.getToggleSortingHandler()}
      >
        <span className="jp-labtrack-RunsTable-thText">
          {flexRender(header.column.columnDef.header, header.getContext())}
        </span>
        <span className="jp-labtrack-RunsTable-sortMark" aria-hidden="true">
          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
        </span>
      </button>
    );
  };

  return (
    <div
      className="jp-labtrack-RunsTable"
      ref={scrollRef}
      role="grid"
      aria-rowcount={pages ? count : order.length}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="jp-labtrack-RunsTable-inner" style={{ minWidth }}>
        <div
          className="jp-labtrack-RunsTable-head"
          role="row"
          style={{ gridTemplateColumns: template }}
        >
          {headers.map(renderHeader)}
        </div>
        <div
          className="jp-labtrack-RunsTable-body"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {slots.map(slot => {
            const item = itemAt(slot.index);
            if (item === null) {
              return (
                <div
                  key={`slot:${slot.index}`}
                  className="jp-labtrack-RunsTable-slot jp-mod-loading"
                  style={{
                    height: slot.size,
                    transform: `translateY(${slot.start}px)`
                  }}
                  aria-busy="true"
                />
              );
            }
            const row = item.kind === 'run' ? rowOf.get(item.run.number) : null;
            return (
              <div
                key={
                  item.kind === 'run' ? item.run.number : `group:${item.key}`
                }
                className="jp-labtrack-RunsTable-slot"
                style={{
                  height: slot.size,
                  transform: `translateY(${slot.start}px)`
                }}
              >
                {item.kind === 'group'
                  ? renderGroup(item)
                  : row && renderRow(row)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
