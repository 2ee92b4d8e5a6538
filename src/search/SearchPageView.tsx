import React, { useEffect, useState } from 'react';

import { useSignal } from '../components/hooks';
import { WorkbenchModel } from '../model/workbench';
import { capQuery, PAGE_SIZE } from './api';
import {
  FACETS,
  facetValues,
  filterCount,
  isSelected,
  SearchFilters,
  toggleFilter
} from './facets';
import { HitName, HitSnippet, TypeBadge } from './HitParts';
import type { SearchRequest } from './page';
import { SEARCH_DEBOUNCE_MS } from './SearchBox';
import type { FacetKey, IFacetValue, ISearchHit } from './types';
import { useSearch } from './useSearch';

/** Facet values listed before a "more" button. */
const FACET_PREVIEW = 8;

/** Props of {@link SearchPageView}. */
export interface ISearchPageViewProps {
  model: WorkbenchModel;
  request: SearchRequest;
  onOpen: (project: string, uniqueId: string) => void;
}

/**
 * The full search page: a query box, facet toggles with counts, ranked
 * results with where they matched, and paging.
 */
export function SearchPageView(props: ISearchPageViewProps): JSX.Element {
  const { model, request } = props;
  useSignal(model.changed);
  useSignal(request.changed);
  const [text, setText] = useState(request.query);
  const [query, setQuery] = useState(capQuery(request.query).trim());
  const [filters, setFilters] = useState<SearchFilters>({});
  const [offset, setOffset] = useState(0);
  const [retries, setRetries] = useState(0);

  // A new request from the command (side panel, palette) is a new search:
  // its text, no filters, the first page, at once.
  useEffect(() => {
    if (request.serial > 0) {
      setText(request.query);
      setQuery(capQuery(request.query).trim());
      setFilters({});
      setOffset(0);
    }
  }, [request.serial]);

  const wanted = capQuery(text).trim();
  useEffect(() => {
    request.remember(text);
    if (wanted === query) {
      return;
    }
    const timer = setTimeout(() => {
      setQuery(wanted);
      setOffset(0);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wanted, query]);

  const project = request.project ?? model.currentProjectId;
  const version = model.projects.find(p => p.id === project)?.version ?? '';
  const state = useSearch(
    project ? { project, query, filters, offset, limit: PAGE_SIZE } : null,
    JSON.stringify([project, version, query, filters, offset, retries])
  );
  const { result } = state;
  const filtered = filterCount(filters) > 0;
  const searching = query !== '' || filtered;

  const toggle = (key: FacetKey, value: string): void => {
    setFilters(old => toggleFilter(old, key, value));
    setOffset(0);
  };
  const clearFilters = (): void => {
    setFilters({});
    setOffset(0);
  };

  return (
    <div className="jp-DbtWorkbench-searchPageBody">
      <div className="jp-DbtWorkbench-searchPageBar">
        <input
          className="jp-DbtWorkbench-searchPageText jp-mod-styled"
          type="search"
          placeholder="Search names, columns, descriptions, tags, owners, SQL… (type:model tag:finance)"
          aria-label="Search the project"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={event => setText(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              setQuery(wanted);
              setOffset(0);
            }
          }}
        />
        <span className="jp-DbtWorkbench-searchPageStatus" aria-live="polite">
          {summary()}
        </span>
      </div>
      {state.loading ? (
        <div
          className="jp-DbtWorkbench-searchProgress"
          role="progressbar"
          aria-label="Searching"
        />
      ) : null}
      <div className="jp-DbtWorkbench-searchPageMain">
        {result &&
        (filtered || Object.values(result.facets).some(v => v.length > 0)) ? (
          <aside
            className="jp-DbtWorkbench-searchFacets"
            aria-label="Filter the results"
          >
            {filtered ? (
              <button
                className="jp-DbtWorkbench-searchClear"
                onClick={clearFilters}
              >
                Clear filters
              </button>
            ) : null}
            {FACETS.map(({ key, label }) => (
              <Facet
                key={key}
                facet={key}
                label={label}
                values={facetValues(result, filters, key)}
                filters={filters}
                onToggle={toggle}
              />
            ))}
          </aside>
        ) : null}
        <div className="jp-DbtWorkbench-searchResults">{results()}</div>
      </div>
    </div>
  );

  function summary(): string {
    if (state.loading && !result) {
      return 'Searching…';
    }
    if (!result || !searching) {
      return '';
    }
    return result.total === 1 ? '1 result' : `${result.total} results`;
  }

  function results(): JSX.Element | null {
    if (!project) {
      return (
        <div className="jp-DbtWorkbench-searchState">
          <h3>No dbt project to search</h3>
          <p>
            Open JupyterLab in a folder with a dbt project (or run{' '}
            <code>jupyter dbt-workbench demo</code>), then pick the project in
            the dbt side panel.
          </p>
        </div>
      );
    }
    if (state.error) {
      return (
        <div className="jp-DbtWorkbench-searchState" role="alert">
          <h3>The search failed</h3>
          <p>{state.error}</p>
          <button
            className="jp-mod-styled jp-mod-accept"
            onClick={() => setRetries(count => count + 1)}
          >
            Search again
          </button>
        </div>
      );
    }
    if (!result) {
      return null;
    }
    if (!searching) {
      return <SearchHelp />;
    }
    if (result.total === 0) {
      return (
        <div className="jp-DbtWorkbench-searchState">
          <h3>
            {query
              ? `Nothing matches “${query}”`
              : 'Nothing passes the filters'}
            {query && filtered ? ' with these filters' : ''}
          </h3>
          <p>
            Check the spelling, use fewer words, or type just the start of a
            name (prefixes match).
            {filtered ? ' Filters narrow the results: clear some of them.' : ''}
          </p>
          {filtered ? (
            <button className="jp-mod-styled" onClick={clearFilters}>
              Clear filters
            </button>
          ) : null}
        </div>
      );
    }
    const first = result.offset + 1;
    const last = result.offset + result.items.length;
    return (
      <>
        <ol className="jp-DbtWorkbench-searchHits" start={first}>
          {result.items.map(hit => (
            <HitRow
              key={hit.unique_id}
              hit={hit}
              onOpen={() => project && props.onOpen(project, hit.unique_id)}
            />
          ))}
        </ol>
        {result.total > result.limit ? (
          <div className="jp-DbtWorkbench-searchPager">
            <button
              className="jp-mod-styled"
              disabled={result.offset === 0}
              onClick={() => setOffset(Math.max(0, result.offset - PAGE_SIZE))}
            >
              Previous
            </button>
            <span>
              {first}–{last} of {result.total}
            </span>
            <button
              className="jp-mod-styled"
              disabled={last >= result.total}
              onClick={() => setOffset(result.offset + PAGE_SIZE)}
            >
              Next
            </button>
          </div>
        ) : null}
      </>
    );
  }
}

/** One facet: its values as toggles, with how many results each has. */
function Facet(props: {
  facet: FacetKey;
  label: string;
  values: IFacetValue[];
  filters: SearchFilters;
  onToggle: (key: FacetKey, value: string) => void;
}): JSX.Element | null {
  const [expanded, setExpanded] = useState(false);
  const { facet, values } = props;
  if (values.length === 0) {
    return null;
  }
  const shown = expanded ? values : values.slice(0, FACET_PREVIEW);
  return (
    <section className="jp-DbtWorkbench-searchFacet" data-facet={facet}>
      <h4>{props.label}</h4>
      <ul>
        {shown.map(({ value, count }) => {
          const on = isSelected(props.filters, facet, value);
          return (
            <li key={value}>
              <button
                className="jp-DbtWorkbench-searchFacetValue"
                aria-pressed={on}
                data-value={value}
                title={`${on ? 'Stop filtering on' : 'Only show'} ${props.label.toLowerCase()} ${value}`}
                onClick={() => props.onToggle(facet, value)}
              >
                <span className="jp-DbtWorkbench-searchFacetLabel">
                  {value}
                </span>
                <span className="jp-DbtWorkbench-searchFacetCount">
                  {count}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {values.length > FACET_PREVIEW ? (
        <button
          className="jp-DbtWorkbench-searchMore"
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Show fewer' : `Show all ${values.length}`}
        </button>
      ) : null}
    </section>
  );
}

/** One result: type, name, where it matched, description, other columns. */
function HitRow(props: { hit: ISearchHit; onOpen: () => void }): JSX.Element {
  const { hit } = props;
  const where = [hit.package_name, hit.schema, hit.materialized]
    .filter(Boolean)
    .join(' · ');
  return (
    <li>
      <button
        className="jp-DbtWorkbench-searchHit"
        data-unique-id={hit.unique_id}
        onClick={props.onOpen}
      >
        <span className="jp-DbtWorkbench-searchOptionHead">
          <TypeBadge type={hit.resource_type} />
          <HitName hit={hit} />
          <span className="jp-DbtWorkbench-searchWhere">{where}</span>
        </span>
        <HitSnippet hit={hit} />
        {hit.description ? (
          <span className="jp-DbtWorkbench-searchDescription">
            {hit.description}
          </span>
        ) : null}
        {hit.columns.length > 0 ? (
          <span className="jp-DbtWorkbench-searchColumns">
            Also in columns{' '}
            {hit.columns.map((column, index) => (
              <React.Fragment key={column}>
                {index > 0 ? ', ' : ''}
                <code>{column}</code>
              </React.Fragment>
            ))}
          </span>
        ) : null}
      </button>
    </li>
  );
}

/** What the page shows before a search: how to search. */
function SearchHelp(): JSX.Element {
  return (
    <div className="jp-DbtWorkbench-searchState jp-DbtWorkbench-searchHelp">
      <h3>Search the whole project</h3>
      <p>
        Every model, source, seed, snapshot, test, exposure, metric and macro,
        and every column: names, descriptions, tags, owners, meta and SQL. Typos
        and prefixes are forgiven. Or pick a filter on the left to list
        everything of a kind.
      </p>
      <table>
        <tbody>
          <tr>
            <td>
              <code>orders customer</code>
            </td>
            <td>every word matches, in any field</td>
          </tr>
          <tr>
            <td>
              <code>"lifetime value"</code>
            </td>
            <td>these words next to each other</td>
          </tr>
          <tr>
            <td>
              <code>type:source tag:finance owner:…</code>
            </td>
            <td>
              filters (also <code>package:</code>, <code>schema:</code>,{' '}
              <code>materialized:</code>)
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
