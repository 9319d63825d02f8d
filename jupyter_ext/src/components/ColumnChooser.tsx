import { Button } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

import {
  ColumnKind,
  columnId,
  COLUMN_KINDS,
  IColumnOffer,
  toggleColumn
} from '../columnChoice';
import { IMetricDefinition } from '../tokens';

export interface IColumnChooserProps {
  /** Every column that can be shown, by kind. */
  offer: IColumnOffer;
  /** The columns shown now (ids). */
  columns: readonly string[];
  /** True when `columns` are the defaults (nothing chosen yet). */
  isDefault: boolean;
  definitions: { readonly [metric: string]: IMetricDefinition };
  /** The new choice; null goes back to the defaults. */
  onChange: (columns: string[] | null) => void;
}

const KIND_LABELS: { [kind in ColumnKind]: string } = {
  metrics: 'Metrics',
  params: 'Params',
  tags: 'Tags',
  attributes: 'Attributes'
};

const ATTRIBUTE_LABELS: { [name: string]: string } = {
  hypothesis: 'hypothesis',
  start_time: 'start',
  end_time: 'end',
  duration: 'duration',
  experiment: 'experiment',
  notebook: 'notebook'
};

/**
 * The "Columns" button of the runs toolbar and its list: a checkbox per metric, param, tag and
 * attribute, a search box when the list is long, and "Defaults" to go back to the computed ones.
 */
export function ColumnChooser(props: IColumnChooserProps): JSX.Element {
  const { offer, columns, isDefault, definitions, onChange } = props;
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) {
      return;
    }
    // Close on a click elsewhere, as a menu does.
    const onDown = (event: MouseEvent): void => {
      if (root.current && !root.current.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const total = COLUMN_KINDS.reduce((sum, kind) => sum + offer[kind].length, 0);
  const needle = search.trim().toLowerCase();
  const label = (kind: ColumnKind, name: string): string => {
    if (kind === 'attributes') {
      return ATTRIBUTE_LABELS[name] ?? name;
    }
    const definition = kind === 'metrics' ? definitions[name] : undefined;
    return definition
      ? `${name} ${definition.goal === 'max' ? '↑' : '↓'}`
      : name;
  };

  return (
    <div
      className="jp-labtrack-ColumnChooser"
      ref={root}
      onKeyDown={event => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <Button
        small
        minimal
        className="jp-labtrack-ColumnChooser-button"
        aria-haspopup="true"
        aria-expanded={open}
        title="Choose the table's columns: metrics, params, tags, attributes"
        onClick={() => setOpen(!open)}
      >
        Columns
        <span className="jp-labtrack-ColumnChooser-caret" aria-hidden="true">
          ▾
        </span>
      </Button>
      {open && (
        <div
          className="jp-labtrack-ColumnChooser-popup"
          role="dialog"
          aria-label="Choose columns"
        >
          {total > 12 && (
            <input
              className="jp-labtrack-ColumnChooser-search"
              type="search"
              placeholder="Find a column"
              aria-label="Find a column"
              value={search}
              autoFocus
              onChange={event => setSearch(event.currentTarget.value)}
            />
          )}
          <div className="jp-labtrack-ColumnChooser-list">
            {COLUMN_KINDS.map(kind => {
              const names = offer[kind].filter(
                name => !needle || name.toLowerCase().includes(needle)
              );
              if (names.length === 0) {
                return null;
              }
              return (
                <fieldset
                  key={kind}
                  className="jp-labtrack-ColumnChooser-group"
                  data-kind={kind}
                >
                  <legend>{KIND_LABELS[kind]}</legend>
                  {names.map(name => {
                    const id = columnId(kind, name);
                    return (
                      <label
                        key={id}
                        className="jp-labtrack-ColumnChooser-item"
                        title={id}
                      >
                        <input
                          type="checkbox"
                          checked={columns.includes(id)}
                          data-column={id}
                          onChange={() => onChange(toggleColumn(columns, id))}
                        />
                        <span>{label(kind, name)}</span>
                      </label>
                    );
                  })}
                </fieldset>
              );
            })}
          </div>
          <div className="jp-labtrack-ColumnChooser-footer">
            <Button
              small
              minimal
              disabled={isDefault}
              title="Show the default columns: defined metrics, the metrics of the runs shown, the params that differ among them"
              onClick={() => onChange(null)}
            >
              Defaults
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
