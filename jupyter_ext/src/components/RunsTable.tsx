import {
  ExpandedState,
  flexRender,
  getCoreRowModel,
  getExpandedRowModel,
  getGroupedRowModel,
  getSortedRowModel,
  Header,
  Row,
  SortingState,
  Updater,
  useReactTable
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { columnMeta, HIDDEN_COLUMNS, runColumns } from '../columns';
import { ClickMode } from '../runs';
import { GroupBy, IMetricDefinition, IRun, ISort } from '../tokens';

export interface IRunsTableProps {
  runs: readonly IRun[];
  metrics: readonly string[];
  definitions: { readonly [metric: string]: IMetricDefinition };
  hypothesisLabel: (id: number) => string;
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
}

const ROW_HEIGHT = 26;

/**
 * The runs table: TanStack Table for columns, sorting and grouping, TanStack Virtual so only the
 * rows in view are in the DOM (10,000 runs stay smooth).
 */
export function RunsTable(props: IRunsTableProps): JSX.Element {
  const { runs, metrics, definitions, hypothesisLabel, sorting, groupBy } =
    props;
  const { selection, onClick, onSelect, onOpen, onSortingChange, scrollKey } =
    props;
  const [expanded, setExpanded] = useState<ExpandedState>(true);
  const [cursor, setCursor] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const columns = useMemo(
    () => runColumns({ metrics, definitions, hypothesisLabel }),
    [metrics.join('\u0000'), definitions, hypothesisLabel]
  );
  const grouping = useMemo(
    () => (groupBy === 'none' ? [] : [groupBy]),
    [groupBy]
  );
  useEffect(() => setExpanded(true), [groupBy]);
  useEffect(() => {
    if (scrollRef.current) {
      scrollRef.current.scrollTop = 0;
    }
  }, [scrollKey, JSON.stringify(sorting), groupBy]);

  const table = useReactTable<IRun>({
    data: runs as IRun[],
    columns,
    state: {
      sorting,
      grouping,
      expanded,
      columnVisibility: HIDDEN_COLUMNS
    },
    onSortingChange: (updater: Updater<SortingState>) =>
      onSortingChange(
        typeof updater === 'function' ? updater(sorting) : updater
      ),
    onExpandedChange: setExpanded,
    getRowId: run => String(run.number),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getGroupedRowModel: getGroupedRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
    groupedColumnMode: false,
    autoResetExpanded: false,
    enableSortingRemoval: false
  });

  const rows = table.getRowModel().rows;
  const order = useMemo(
    () =>
      rows.filter(row => !row.getIsGrouped()).map(row => row.original.number),
    [rows]
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  });

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
    const index = rows.findIndex(
      row => !row.getIsGrouped() && row.original.number === next
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

  const renderRow = (row: Row<IRun>): JSX.Element => {
    if (row.getIsGrouped()) {
      const label = String(row.groupingValue ?? '') || '(none)';
      return (
        <div
          className="jp-labtrack-RunsTable-group"
          role="row"
          data-group={label}
          onClick={row.getToggleExpandedHandler()}
        >
          <span className="jp-labtrack-RunsTable-caret" aria-hidden="true">
            {row.getIsExpanded() ? '▾' : '▸'}
          </span>
          <span className="jp-labtrack-RunsTable-groupLabel" title={label}>
            {label}
          </span>
          <span className="jp-labtrack-RunsTable-groupCount">
            {row.subRows.length}
          </span>
        </div>
      );
    }
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
      aria-rowcount={order.length}
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
          {virtualizer.getVirtualItems().map(item => (
            <div
              key={rows[item.index].id}
              className="jp-labtrack-RunsTable-slot"
              style={{
                height: item.size,
                transform: `translateY(${item.start}px)`
              }}
            >
              {renderRow(rows[item.index])}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
