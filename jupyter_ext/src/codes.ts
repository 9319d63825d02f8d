/**
 * The cell code of compared runs, fetched from their details (`GET runs/<n>`), a few at a time.
 */

import { useEffect, useState } from 'react';

import { LabtrackClient } from './client';
import { messageOf } from './model';

/**
 * How many run details are fetched at once: few, because a browser opens only 6 connections to a
 * server and the charts' requests must not wait behind these.
 */
const PARALLEL = 2;

/** What `useRunCodes` gives: each run's code (null when none was recorded) once all came. */
export interface IRunCodes {
  codes: Map<number, string | null> | null;
  error: string | null;
}

/**
 * The code of each of `runs`, from their run details, once `ready` (start after the requests
 * that matter more).
 *
 * @example
 * const { codes } = useRunCodes(client, [3, 4], true);
 */
export function useRunCodes(
  client: LabtrackClient,
  runs: readonly number[],
  ready = true
): IRunCodes {
  const key = runs.join(',');
  const [state, setState] = useState<IRunCodes>({ codes: null, error: null });
  useEffect(() => {
    let current = true;
    setState({ codes: null, error: null });
    if (!ready) {
      return;
    }
    const codes = new Map<number, string | null>();
    const queue = [...runs];
    const worker = async (): Promise<void> => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const run = await client.run(n);
        codes.set(n, run.code);
      }
    };
    Promise.all(Array.from({ length: PARALLEL }, worker)).then(
      () => current && setState({ codes, error: null }),
      (error: unknown) =>
        current && setState({ codes: null, error: messageOf(error) })
    );
    return () => {
      current = false;
    };
  }, [client, key, ready]);
  return state;
}
