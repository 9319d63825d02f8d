import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import React, { useCallback, useMemo } from 'react';

import { columnOffer, defaultColumns } from '../columnChoice';
import { useSignals } from '../hooks';
import { ExperimentsModel } from '../model';
import { GroupBy, IRunActions, IVerdict } from '../tokens';
import { ColumnChooser } from './ColumnChooser';
import { FilterBox } from './FilterBox';
import { RunsTable } from './RunsTable';

export interface IRunsViewProps {
  model: ExperimentsModel;
  actions: IRunActions;
}

/** In a big store, the column defaults look at this many first rows. */
const FIRST_ROWS = 200;

const GROUPS: { value: GroupBy; label: string }[] = [
  { value: 'none', label: 'No grouping' },
  { value: 'experiment', label: 'Group by experiment' },
  { value: 'hypothesis', label: 'Group by hypothesis' }
];

/** The "Runs" tab: filter box, toolbar (group, compare, details) and the runs table. */
export function RunsView(props: IRunsViewProps): JSX.Element {
  const { model, actions } = props;
  useSignals(
    model.runsChanged,
    model.view.changed,
    model.view.selectionChanged,
    model.hypothesesChanged,
    model.pages.changed
  );
  const hypothesisLabel = useCallback(
    (id: number): string => {
      const found = model.hypothesis(id);
      return found ? `H${id} · ${found.statement}` : `H${id}`;
    },
    [model, model.hypotheses]
  );
  const hypothesisVerdict = useCallback(
    (id: number): IVerdict | null => model.hypothesis(id)?.verdict ?? null,
    [model, model.hypotheses]
  );
  const paged = model.paged;
  const pageVersion = model.pages.version;
  // A big store shows the server's pages: the loaded rows stand for the runs shown.
  const runs = useMemo(
    () => (paged ? model.pages.loaded() : model.runs),
    [paged, paged ? pageVersion : model.runs]
  );
  // Defaults follow the runs shown (a filter changes them); a choice made once stays.
  const sample = paged ? runs.slice(0, FIRST_ROWS) : runs;
  const defaults = useMemo(
    () => defaultColumns(sample, model.definitions),
    [paged ? sample.map(run => run.number).join(',') : runs, model.definitions]
  );
  const offer = useMemo(
    () =>
      columnOffer(
        model.metricNames,
        model.paramNames,
        model.definitions,
        model.allRuns.values()
      ),
    [model.version, model.metricNames, model.paramNames, model.definitions]
  );
  const vocabulary = useMemo(
    () => ({
      params: model.paramNames,
      metrics: model.metricNames,
      tags: offer.tags,
      hypotheses: model.hypotheses
    }),
    [offer, model.hypotheses]
  );
  const columns = model.view.columns ?? defaults;
  const selected = model.view.selectedNumbers;
  const visible = useMemo(() => new Set(runs.map(run => run.number)), [runs]);
  // A big store's window does not hold every match: no hidden count there.
  const hidden = paged ? [] : selected.filter(number => !visible.has(number));
  const total = paged
    ? model.filter
      ? (model.status?.runs ?? 0)
      : (model.pages.total ?? 0)
    : model.allRuns.size;
  const matching = paged ? (model.pages.total ?? 0) : runs.length;
  const shown =
    matching === total
      ? `${total.toLocaleString('en-US')} run${total === 1 ? '' : 's'}`
      : `${matching.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs`;

  return (
    <div className="jp-labtrack-RunsView">
      <FilterBox
        filter={model.filter}
        error={model.filterError}
        busy={model.filtering}
        onApply={filter => void model.applyFilter(filter)}
        vocabulary={vocabulary}
      />
      <div className="jp-labtrack-toolbar">
        <HTMLSelect
          className="jp-labtrack-GroupSelect"
          aria-label="Group runs"
          title={
            paged
              ? 'Grouping loads every run of this big store (without it the table pages on the server)'
              : 'Group the runs by experiment or hypothesis'
          }
          value={model.view.groupBy}
          options={GROUPS}
          onChange={event =>
            (model.view.groupBy = event.currentTarget.value as GroupBy)
          }
        />
        <ColumnChooser
          offer={offer}
          columns={columns}
          isDefault={model.view.columns === null}
          definitions={model.definitions}
          onChange={chosen => (model.view.columns = chosen)}
        />
        <Button
          small
          className="jp-labtrack-CompareButton jp-labtrack-primary"
          disabled={selected.length < 2}
          title={
            hidden.length > 0
              ? `Compare the ${selected.length} selected runs, ${hidden.length} of them hidden by the filter`
              : 'Compare the selected runs (select with click, shift-click, ctrl-click)'
          }
          onClick={() => actions.compare(selected)}
        >
          Compare{selected.length > 1 ? ` (${selected.length})` : ''}
        </Button>
        <Button
          small
          minimal
          className="jp-labtrack-DetailsButton"
          disabled={selected.length !== 1}
          title="Open the selected run's details (or double-click a run)"
          onClick={() => actions.openRun(selected[0])}
        >
          Details
        </Button>
      </div>
      <div className="jp-labtrack-statusLine">
        <span className="jp-labtrack-runCount" aria-live="polite">
          {shown}
          {selected.length > 0 ? ` · ${selected.length} selected` : ''}
          {hidden.length > 0 && (
            <>
              {', '}
              <span
                className="jp-labtrack-hiddenSelection"
                title={`Selected but hidden by the filter: #${hidden.join(', #')}`}
              >
                {hidden.length} hidden
              </span>
              <button
                type="button"
                className="jp-labtrack-linkButton"
                title="Unselect the runs the filter hides"
                onClick={() =>
                  model.view.setSelection(
                    selected.filter(number => visible.has(number))
                  )
                }
              >
                unselect
              </button>
            </>
          )}
        </span>
      </div>
      {model.loaded && total === 0 ? (
        <div className="jp-labtrack-empty">
          <p>No runs yet.</p>
          <p>
            In a notebook, run <code>%load_ext labtrack</code> and start a cell
            with <code>%%track</code>; the run shows here when the cell ends.
          </p>
        </div>
      ) : model.loaded && matching === 0 ? (
        <div className="jp-labtrack-empty">
          <p>No run matches the filter.</p>
        </div>
      ) : (
        <RunsTable
          runs={runs}
          columns={columns}
          definitions={model.definitions}
          hypothesisLabel={hypothesisLabel}
          hypothesisVerdict={hypothesisVerdict}
          sorting={model.view.sorting}
          onSortingChange={sorting => (model.view.sorting = sorting)}
          groupBy={model.view.groupBy}
          selection={model.view.selection}
          onClick={(number, mode, order) =>
            model.view.click(number, mode, order)
          }
          onSelect={numbers => model.view.setSelection(numbers)}
          onOpen={number => actions.openRun(number)}
          scrollKey={model.filter}
          pages={paged ? model.pages : undefined}
        />
      )}
    </div>
  );
}
