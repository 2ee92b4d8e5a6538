import { useEffect, useState } from 'react';

import { errorMessage } from '../notify';
import { ISearchRequest, search } from './api';
import type { ISearchResult } from './types';

/** Where a search stands; the last answer stays while the next one loads. */
export interface ISearchState {
  /** The answer to the latest finished request (null before the first). */
  result: ISearchResult | null;
  /** Why the latest request failed, or null. */
  error: string | null;
  /** Whether a request is in flight. */
  loading: boolean;
  /** The key of the request `result` or `error` answers ('' for none). */
  key: string;
}

/**
 * Run `request` whenever `key` changes (null: no search, nothing shown).
 * Only the latest request's answer is kept: a slow answer to an older query
 * never replaces a newer one.
 */
export function useSearch(
  request: ISearchRequest | null,
  key: string
): ISearchState {
  const [state, setState] = useState<ISearchState>({
    result: null,
    error: null,
    loading: false,
    key: ''
  });
  useEffect(() => {
    if (!request) {
      setState({ result: null, error: null, loading: false, key: '' });
      return;
    }
    let current = true;
    setState(old => ({ ...old, loading: true }));
    search(request).then(
      result => {
        if (current) {
          setState({ result, error: null, loading: false, key });
        }
      },
      error => {
        if (current) {
          setState({
            result: null,
            error: errorMessage(error),
            loading: false,
            key
          });
        }
      }
    );
    return () => {
      current = false;
    };
    // `request` is rebuilt on every render; `key` says when it changed.
  }, [key]);
  return state;
}
