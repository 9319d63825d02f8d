/**
 * React hooks shared by the views: re-render on Lumino signals, and load data with cancellation.
 */

import { ISignal } from '@lumino/signaling';
import { DependencyList, useEffect, useState } from 'react';

import { messageOf } from './model';

/** Re-render the calling component whenever one of `signals` fires; returns a counter. */
export function useSignals(...signals: ISignal<unknown, void>[]): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const slot = (): void => setTick(value => value + 1);
    for (const signal of signals) {
      signal.connect(slot);
    }
    return () => {
      for (const signal of signals) {
        signal.disconnect(slot);
      }
    };
  }, signals);
  return tick;
}

/** What `useRequest` gives: the data once loaded, or the error. */
export interface IRequestState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * Run `load` when `deps` change and keep its answer; an answer to an outdated call is dropped.
 *
 * @example
 * const { data, error } = useRequest(() => client.run(3), [client]);
 */
export function useRequest<T>(
  load: () => Promise<T>,
  deps: DependencyList
): IRequestState<T> {
  const [state, setState] = useState<IRequestState<T>>({
    data: null,
    error: null,
    loading: true
  });
  useEffect(() => {
    let current = true;
    setState(previous => ({ ...previous, loading: true }));
    load().then(
      data => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState({ data: null, error: messageOf(error), loading: false })
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}

/** An object URL for `blob` while the component lives; revoked after. */
export function useObjectURL(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (blob === null) {
      setUrl(null);
      return;
    }
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return url;
}
