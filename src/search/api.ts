/**
 * The search API client: `GET search` with the query capped to what the
 * server accepts and failures turned into sentences that say what to do.
 */
import { ServerConnection } from '@jupyterlab/services';

import {
  NETWORK_ERROR_REASON,
  QueryParams,
  requestAPI,
  WorkbenchAPIError
} from '../request';
import { filterParams, SearchFilters } from './facets';
import type { ISearchResult } from './types';

/** The longest query the server accepts, in characters. */
export const MAX_QUERY_LENGTH = 1000;

/** The page size of the full search page. */
export const PAGE_SIZE = 25;

/** What one search asks for. */
export interface ISearchRequest {
  project: string;
  query: string;
  filters?: SearchFilters;
  offset?: number;
  limit?: number;
}

/**
 * Cut a query to at most {@link MAX_QUERY_LENGTH} characters.
 *
 * The server counts code points and refuses longer queries outright; a
 * pasted wall of text should search its beginning instead. A cut never
 * splits a surrogate pair (an emoji would become an invalid character).
 */
export function capQuery(text: string): string {
  if (text.length <= MAX_QUERY_LENGTH) {
    return text;
  }
  const points = Array.from(text);
  if (points.length <= MAX_QUERY_LENGTH) {
    return text;
  }
  return points.slice(0, MAX_QUERY_LENGTH).join('');
}

/** The URL parameters of a search request, as `GET search` reads them. */
export function searchParams(request: ISearchRequest): QueryParams {
  const params: QueryParams = {
    project: request.project,
    q: capQuery(request.query)
  };
  Object.assign(params, filterParams(request.filters ?? {}));
  if (request.offset) {
    params.offset = request.offset;
  }
  if (request.limit !== undefined) {
    params.limit = request.limit;
  }
  return params;
}

/** GET `search`: a page of ranked matches with facet counts. */
export async function search(
  request: ISearchRequest,
  settings?: ServerConnection.ISettings
): Promise<ISearchResult> {
  try {
    return await requestAPI<ISearchResult>(
      'search',
      {},
      searchParams(request),
      settings
    );
  } catch (error) {
    throw readableSearchError(error);
  }
}

/**
 * The error to show for a failed search: the server's sentence, with what
 * to do next when the server's own message does not say it.
 */
export function readableSearchError(error: unknown): WorkbenchAPIError {
  if (!(error instanceof WorkbenchAPIError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new WorkbenchAPIError(
      `The search failed: ${detail}`,
      0,
      'search_failed'
    );
  }
  const advice = ADVICE[error.reason];
  if (!advice || error.message.includes(advice)) {
    return error;
  }
  return new WorkbenchAPIError(
    `${error.message} ${advice}`,
    error.status,
    error.reason
  );
}

/** What to do about the failures a search can meet, by reason. */
const ADVICE: Record<string, string> = {
  artifacts_not_loaded:
    'Run dbt parse (or dbt build) in the project; the search works as soon as the manifest appears.',
  project_not_found:
    'Pick another project in the dbt side panel, or refresh the project list.',
  query_too_long: 'Shorten the query.',
  [NETWORK_ERROR_REASON]: 'Search again once the server is back.'
};
