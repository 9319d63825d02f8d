/**
 * Shared names and types of the labtrack front end.
 */

/** The id of the "Experiments" side panel; also its layout-restorer key. */
export const PANEL_ID = 'labtrack-panel';

/** Where the server extension's REST API lives, under the Jupyter base URL. */
export const API_NAMESPACE = 'labtrack/api';

/** Commands the extension registers. */
export namespace CommandIDs {
  export const open = 'labtrack:open';
  export const refresh = 'labtrack:refresh';
}

/** `GET <base>/labtrack/api/status`: which store the server reads and how much it holds. */
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
