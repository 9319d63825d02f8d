/**
 * The cell code of compared runs, fetched from their details (`GET runs/<n>`), a few at a time.
 */

import { useEffect, useState } from 'react';

import { LabtrackClient } from './client';
import { messageOf } from './model';

/** How many run details are fetched at once. */
const PARALLEL = 6;

/** What `useRunCodes` gives: each run's code (null when none was recorded) once all came. */
export interface IRunCodes {
  codes: Map<number, string | null> | null;
  error: string | null;
}

/**
 * The code of each of `runs`, from their run details.
 *
 * @example
 * const { codes } = useRunCodes(client, [3, 4]);
 */
export function useRunCodes(
  client: LabtrackClient,
  runs: readonly number[]
): IRunCodes {
  const key = runs.join(',');
  const [state, setState] = useState<IRunCodes>({ codes: null, error: null });
  useEffect(() => {
    let current = true;
    setState({ codes: null, error: null });
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
  }, [client, key]);
  return state;
}
