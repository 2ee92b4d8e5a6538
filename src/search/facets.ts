/**
 * Facet filters of the search page: which values are toggled on, and how
 * they travel to the server.
 */
import type { FacetKey, IFacetValue, ISearchResult } from './types';

/** Selected values per facet; values of one facet are alternatives. */
export type SearchFilters = Partial<Record<FacetKey, readonly string[]>>;

/** The facets in the order the search page shows them, with their labels. */
export const FACETS: ReadonlyArray<{
  key: FacetKey;
  label: string;
  /** The URL parameter `GET search` reads the facet's values from. */
  param: string;
}> = [
  { key: 'resource_type', label: 'Resource type', param: 'type' },
  { key: 'package', label: 'Package', param: 'package' },
  { key: 'schema', label: 'Schema', param: 'schema' },
  { key: 'tag', label: 'Tag', param: 'tag' },
  { key: 'owner', label: 'Owner', param: 'owner' },
  { key: 'materialized', label: 'Materialization', param: 'materialized' }
];

/** Whether `value` of facet `key` is toggled on. */
export function isSelected(
  filters: SearchFilters,
  key: FacetKey,
  value: string
): boolean {
  return (filters[key] ?? []).includes(value);
}

/**
 * Toggle one facet value: on if it was off, off if it was on. A facet left
 * with no value is dropped, so an empty filter set is `{}`.
 */
export function toggleFilter(
  filters: SearchFilters,
  key: FacetKey,
  value: string
): SearchFilters {
  const current = filters[key] ?? [];
  const next = current.includes(value)
    ? current.filter(item => item !== value)
    : [...current, value];
  const result: SearchFilters = { ...filters };
  if (next.length > 0) {
    result[key] = next;
  } else {
    delete result[key];
  }
  return result;
}

/** How many facet values are toggled on. */
export function filterCount(filters: SearchFilters): number {
  return FACETS.reduce((sum, { key }) => sum + (filters[key]?.length ?? 0), 0);
}

/** The repeated URL parameters of the toggled values, e.g. `{type: ['model']}`. */
export function filterParams(filters: SearchFilters): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const { key, param } of FACETS) {
    const values = filters[key];
    if (values && values.length > 0) {
      params[param] = [...values];
    }
  }
  return params;
}

/**
 * The values to offer as toggles for one facet: the server's counts, plus
 * any toggled value the server did not count (it then matches nothing), so
 * every active filter can be switched off from where it was switched on.
 */
export function facetValues(
  result: ISearchResult | null,
  filters: SearchFilters,
  key: FacetKey
): IFacetValue[] {
  const counted = result?.facets[key] ?? [];
  const seen = new Set(counted.map(item => item.value));
  const missing = (filters[key] ?? [])
    .filter(value => !seen.has(value))
    .map(value => ({ value, count: 0 }));
  return [...counted, ...missing];
}
