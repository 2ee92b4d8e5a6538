/**
 * The payloads of `GET search`, mirroring
 * jupyterlab_dbt_workbench/search/payloads.py field for field.
 */

/** A field of a node that a query can match in. */
export type SearchField =
  | 'name'
  | 'alias'
  | 'tag'
  | 'column'
  | 'owner'
  | 'description'
  | 'column_description'
  | 'meta'
  | 'sql';

/** A facet the server counts the match set by. */
export type FacetKey =
  'resource_type' | 'package' | 'schema' | 'tag' | 'owner' | 'materialized';

/** The best field the query matched in, and a short piece of its text. */
export interface ISearchMatch {
  field: SearchField;
  /** The column, for column, column_description and column meta hits. */
  column: string | null;
  snippet: string;
  /** `[start, end)` character ranges of the matched words in `snippet`. */
  highlights: number[][];
}

/** One node, macro or column owner that matched. */
export interface ISearchHit {
  unique_id: string;
  name: string;
  resource_type: string;
  package_name: string;
  schema: string | null;
  materialized: string | null;
  tags: string[];
  owner: string | null;
  description: string;
  score: number;
  /** Null when the query had filters only (nothing to point at). */
  match: ISearchMatch | null;
  /** Other columns that matched, besides `match.column` (at most 5). */
  columns: string[];
}

/** One value of a facet and how many matches have it. */
export interface IFacetValue {
  value: string;
  count: number;
}

/** How the server read the query. */
export interface ISearchQueryInfo {
  text: string;
  words: string[];
  phrases: string[];
  filters: Record<string, string[]>;
}

/** The answer of `GET search`. */
export interface ISearchResult {
  project: string;
  query: ISearchQueryInfo;
  total: number;
  offset: number;
  limit: number;
  items: ISearchHit[];
  /**
   * Counts over the whole match set; a facet's own filter is left out of its
   * counts, so the other values of a filtered facet can still be offered.
   */
  facets: Record<string, IFacetValue[]>;
}
