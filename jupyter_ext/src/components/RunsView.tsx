import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import React, { useCallback } from 'react';

import { useSignals } from '../hooks';
import { ExperimentsModel } from '../model';
import { GroupBy, IRunActions } from '../tokens';
import { FilterBox } from './FilterBox';
import { RunsTable } from './RunsTable';

export interface IRunsViewProps {
  model: ExperimentsModel;
  actions: IRunActions;
}

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
    model.hypothesesChanged
  );
  const hypothesisLabel = useCallback(
    (id: number): string => {
      const found = model.hypothesis(id);
      return found ? `H${id} · ${found.statement}` : `H${id}`;
    },
    [model, model.hypotheses]
  );
  const runs = model.runs;
  const selected = model.view.selectedNumbers;
  const total = model.allRuns.size;
  const shown =
    runs.length === total
      ? `${total.toLocaleString('en-US')} run${total === 1 ? '' : 's'}`
      : `${runs.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs`;

  return (
    <div className="jp-labtrack-RunsView">
      <FilterBox
        filter={model.filter}
        error={model.filterError}
        busy={model.filtering}
        onApply={filter => void model.applyFilter(filter)}
      />
      <div className="jp-labtrack-toolbar">
        <HTMLSelect
          className="jp-labtrack-GroupSelect"
          aria-label="Group runs"
          value={model.view.groupBy}
          options={GROUPS}
          onChange={event =>
            (model.view.groupBy = event.currentTarget.value as GroupBy)
          }
        />
        <Button
          small
          className="jp-labtrack-CompareButton jp-labtrack-primary"
          disabled={selected.length < 2}
          title="Compare the selected runs (select with click, shift-click, ctrl-click)"
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
        <span className="jp-labtrack-runCount" aria-live="polite">
          {shown}
          {selected.length > 0 ? ` · ${selected.length} selected` : ''}
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
      ) : model.loaded && runs.length === 0 ? (
        <div className="jp-labtrack-empty">
          <p>No run matches the filter.</p>
        </div>
      ) : (
        <RunsTable
          runs={runs}
          metrics={model.headlineMetrics}
          definitions={model.definitions}
          hypothesisLabel={hypothesisLabel}
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
        />
      )}
    </div>
  );
}
