import { DependencyList, useEffect, useState } from 'react';

export interface Loaded<T> {
  value: T;
  loading: boolean;
  error?: string;
}

interface Answer<T> {
  value: T;
  error?: string;
  /** The dependencies the answer was loaded for. */
  deps?: DependencyList;
}

function same(a: DependencyList | undefined, b: DependencyList): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Runs an async loader when its dependencies change and keeps the latest answer; answers that
 * arrive after a newer call started (or after unmount) are dropped. `loading` is true while the
 * answer shown is not the one for the current dependencies.
 */
export function useLoader<T>(load: () => Promise<T>, initial: T, deps: DependencyList): Loaded<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ value: initial });
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setAnswer({ value, deps }),
      (err: unknown) => current && setAnswer({ value: initial, error: errorMessage(err), deps })
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { value: answer.value, error: answer.error, loading: !same(answer.deps, deps) };
}

/** A readable message from a thrown value or a Grafana fetch error ({ data: { message } }). */
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { data?: { message?: string; error?: string }; message?: string; statusText?: string };
    return e.data?.message ?? e.data?.error ?? e.message ?? e.statusText ?? 'request failed';
  }
  return String(err);
}
