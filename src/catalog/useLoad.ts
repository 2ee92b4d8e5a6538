import { useEffect, useState } from 'react';

import { errorMessage } from '../notify';

/** The state of an asynchronous load. */
export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; value: T };

/**
 * Load `fetch()` now and again whenever `key` changes; an answer that
 * arrives after the key changed is dropped.
 */
export function useLoad<T>(fetch: () => Promise<T>, key: string): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    fetch().then(
      value => {
        if (!cancelled) {
          setLoaded({ state: 'ready', value });
        }
      },
      error => {
        if (!cancelled) {
          setLoaded({ state: 'error', message: errorMessage(error) });
        }
      }
    );
    return () => {
      cancelled = true;
    };
    // `fetch` is a fresh closure on every render; `key` says when it matters.
  }, [key]);
  return loaded;
}
