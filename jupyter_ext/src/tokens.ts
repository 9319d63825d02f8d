import { Token } from '@lumino/coreutils';

/**
 * Shared names and types of the labtrack front end: ids, commands, and the REST API's answers
 * (docs/rest-api.md).
 */

/** The id of the "Experiments" side panel; also its layout-restorer key. */
export const PANEL_ID = 'labtrack-panel';

/** Where the server extension's REST API lives, under the Jupyter base URL. */
export const API_NAMESPACE = 'labtrack/api';

/** The palette category of every labtrack command. */
export const PALETTE_CATEGORY = 'labtrack';

/** Commands the extension registers. */
export namespace CommandIDs {
  export const open = 'labtrack:open';
  export const refresh = 'labtrack:refresh';
  export const hypotheses = 'labtrack:hypotheses';
  export const compare = 'labtrack:compare';
  export const openRun = 'labtrack:open-run';
  export const openInNotebook = 'labtrack:open-in-notebook';
  export const filterRuns = 'labtrack:filter-runs';
}

/** A run's state; `crashed` means a stale heartbeat was found later. */
export type RunStatus =
  'running' | 'finished' | 'failed' | 'interrupted' | 'crashed';

/** A JSON value as the store keeps params and tags. */
export type JSONValue =
  string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

/** `GET status`: which store the server reads and how much it holds. */
export interface IStatus {
  /** Absolute path of the store folder. */
  store: string;
  /** The labtrack Python package version on the server. */
  version: string;
  /** Number of runs in the store. */
  runs: number;
  /** A counter that grows whenever the store changes; the panel refreshes when it moves. */
  change: number;
}

/** One row of `GET runs`. Times are epoch seconds. */
export interface IRun {
  number: number;
  uuid: string;
  name: string | null;
  experiment: string | null;
  status: RunStatus;
  start_time: number | null;
  end_time: number | null;
  duration: number | null;
  hypothesis_id: number | null;
  notebook: string | null;
  params: { [name: string]: JSONValue };
  /** The last value of each metric; null when only NaN was logged. */
  metrics: { [name: string]: number | null };
  tags: { [name: string]: JSONValue };
  /**
   * For each metric the run has whose definition's summary is `best` or `mean`: that summary of its
   * history (null when NaN). The table shows it instead of the last value.
   */
  summaries: { [name: string]: number | null };
}

/** What "better" means for a metric (`lt.metric`). */
export interface IMetricDefinition {
  goal: 'max' | 'min';
  target: number | null;
  summary: 'last' | 'best' | 'mean';
}

/** `GET runs`. */
export interface IRunsAnswer {
  total: number;
  change: number;
  runs: IRun[];
  params: string[];
  metrics: string[];
  definitions: { [metric: string]: IMetricDefinition };
}

/** One metric of a run, summarised (`RunDetail.metrics`). */
export interface IMetricSummary {
  last: number | null;
  last_step: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  count: number;
  nan_count: number;
}

/** A stored file of a run, content-addressed by `sha256`. */
export interface IArtifact {
  name: string;
  sha256: string;
  size: number;
  media_type: string;
  url?: string;
}

/** `GET runs/<ref>`: one run with everything recorded about it. */
export interface IRunDetail extends Omit<IRun, 'metrics' | 'summaries'> {
  code: string | null;
  execution_count: number | null;
  /** Relative to the Jupyter root when the notebook is inside it, else null. */
  notebook_path: string | null;
  environment: { [key: string]: JSONValue } | null;
  error_type: string | null;
  error_message: string | null;
  traceback: string | null;
  parent: number | null;
  metrics: { [name: string]: IMetricSummary };
  artifacts: IArtifact[];
  datasets: JSONValue[];
  hypothesis: { id: number; statement: string } | null;
}

/** One run's history of one metric (`GET history`). */
export interface ISeries {
  number: number;
  name: string | null;
  steps: number[];
  values: (number | null)[];
  count: number;
  downsampled: boolean;
}

/** `GET history`. */
export interface IHistory {
  metric: string;
  series: ISeries[];
}

/** A number in the comparison JSON: non-finite values come as strings, missing as null. */
export type ComparisonNumber = number | 'inf' | '-inf' | 'nan' | null;

/** One run in the comparison JSON. */
export interface IComparedRun {
  label: string;
  number: number;
  name: string | null;
  experiment: string | null;
  status: RunStatus | null;
  hypothesis: number | null;
}

/** One param across the compared runs. */
export interface IComparedParam {
  name: string;
  differs: boolean;
  values: {
    run: number;
    type: string;
    value: JSONValue;
    display: string | null;
  }[];
}

/** The summaries of one metric of one run. */
export interface IMetricValues {
  run: number;
  last: ComparisonNumber;
  best: ComparisonNumber;
  best_step: number | null;
  min: ComparisonNumber;
  max: ComparisonNumber;
  mean: ComparisonNumber;
}

/** One metric across the compared runs. */
export interface IComparedMetric {
  name: string;
  definition: IMetricDefinition | null;
  differs: boolean;
  summaries_differing: string[];
  values: IMetricValues[];
}

/** `GET compare` (src/labtrack/schemas/comparison.schema.json). */
export interface IComparison {
  differences_only: boolean;
  runs: IComparedRun[];
  params: IComparedParam[];
  metrics: IComparedMetric[];
}

/** A verdict label; the badge's colour follows it (green: as expected, red: the opposite). */
export type VerdictLabel =
  'supported' | 'refuted' | 'negligible' | 'inconclusive' | 'untested';

/** An exact re-run left out of the evidence: `run` repeated by the newer `rerun_as`. */
export interface IRerun {
  run: number;
  rerun_as: number;
}

/**
 * The numbers behind a verdict. `effect` is treatment − baseline in the metric's own units (> 0:
 * the metric rose), whatever the expected direction; the label says whether that matched it.
 */
export interface IVerdict {
  label: VerdictLabel;
  weak: boolean;
  effect: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n_treatment: number;
  n_baseline: number;
  treatment_runs: number[];
  baseline_runs: number[];
  reason: string | null;
  badge?: string;
  method?: string;
  confidence?: number;
  p_value?: number | null;
  anytime?: boolean;
  pairs?: number;
  notes?: string[];
  reruns?: IRerun[];
  /** How the arms differ besides the change under test. */
  comparability?: string[];
  /** Differences that may explain the effect instead: shown with the badge. */
  confounds?: string[];
}

/** A metric definition as a hypothesis keeps it: the goal and the summary compared. */
export interface IDefinition {
  goal: 'max' | 'min';
  summary: 'last' | 'best' | 'mean';
}

/** A p-value adjusted for the hypotheses the experiment has tested (Holm, or BH on request). */
export interface IMultiplicity {
  tested: number;
  method: 'holm' | 'bh';
  p_value: number | null;
  p_adjusted: number | null;
  /** Set when the verdict is supported only before adjustment. */
  note: string | null;
}

/** `GET hypotheses`: one hypothesis and its verdict. */
export interface IHypothesis {
  id: number;
  experiment?: string | null;
  statement: string;
  metric: string;
  expect: 'increase' | 'decrease';
  min_effect: number;
  status: string;
  note: string | null;
  created: number;
  verdict: IVerdict | null;
  /** The change it tests, e.g. "params.dropout". */
  change?: string | null;
  /** Named runs, or a filter frozen with the runs it matched when stated; null: the default. */
  baseline?: { runs?: number[]; filter?: string } | null;
  definition?: IDefinition | null;
  current_definition?: IDefinition | null;
  multiplicity?: IMultiplicity | null;
}

/** The formats of `GET export`. */
export type ExportFormat = 'md' | 'csv' | 'json' | 'latex' | 'html';

/** The side panel's two views. */
export type PanelTab = 'runs' | 'hypotheses';

/** How the runs table groups its rows. */
export type GroupBy = 'none' | 'experiment' | 'hypothesis';

/** A column sort, as TanStack Table keeps it. */
export interface ISort {
  id: string;
  desc: boolean;
}

/** What the views ask the application to do (the plugins run commands for them). */
export interface IRunActions {
  /** Open the run details of run `number` in the main area. */
  openRun(number: number): void;
  /** Open a comparison of `numbers` in the main area. */
  compare(numbers: number[]): void;
  /** Open the notebook a run was recorded in and go to its cell. */
  openInNotebook(number: number): void;
  /** Show only `numbers` in the runs table (a brush); null gives back the filter it had. */
  filterRuns?(numbers: number[] | null): void;
}

/** What the panel plugin shares with the other labtrack plugins. */
export interface ILabtrack {
  /** The REST client, bound to the server's settings. */
  readonly client: import('./client').LabtrackClient;
  /** The side panel's state: runs, filter, selection, hypotheses. */
  readonly model: import('./model').ExperimentsModel;
}

/** The token of the labtrack service (`labtrack:panel` provides it). */
export const ILabtrack = new Token<ILabtrack>(
  'labtrack:ILabtrack',
  'The labtrack REST client and the Experiments panel model.'
);
