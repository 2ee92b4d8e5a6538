import { searchIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useReducer, useRef, useState } from 'react';

import { capQuery } from './api';
import { HitName, HitSnippet, TypeBadge } from './HitParts';
import { CLOSED_LIST, listReducer } from './navigation';
import { useSearch } from './useSearch';

/** How long typing must pause before the side panel searches, in ms. */
export const SEARCH_DEBOUNCE_MS = 150;

/** How many results the dropdown lists. */
export const DROPDOWN_LIMIT = 8;

/** Props of {@link SearchBox}. */
export interface ISearchBoxProps {
  /** The project searched; null disables the box. */
  project: string | null;
  /** Changes when the project's artifacts reload, to search again. */
  version: string;
  onOpen: (project: string, uniqueId: string) => void;
  /** Open the full search page for a query. */
  onSeeAll: (project: string, query: string) => void;
}

let instances = 0;

/**
 * The side panel's search box: searches the whole project (columns and SQL
 * included) as the user types and lists the best results in a dropdown.
 * ↑/↓ move, Enter opens, Escape closes (and then clears); the last option
 * opens the full search page.
 */
export function SearchBox(props: ISearchBoxProps): JSX.Element {
  const { project } = props;
  const idPrefix = useRef(`jp-DbtWorkbench-search-${++instances}`).current;
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [list, dispatch] = useReducer(listReducer, CLOSED_LIST);
  // Enter pressed before the answer to the current text arrived: act on it
  // once it does, so a fast "name⏎" still opens the node.
  const pendingEnter = useRef(false);

  const wanted = capQuery(text).trim();
  useEffect(() => {
    if (wanted === query) {
      return;
    }
    const timer = setTimeout(() => setQuery(wanted), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wanted, query]);

  const key = `${project}\u0000${props.version}\u0000${query}`;
  const state = useSearch(
    project && query ? { project, query, limit: DROPDOWN_LIMIT } : null,
    project && query ? key : ''
  );
  const items = state.result?.items ?? [];
  const optionCount = query ? items.length + 1 : 0;
  const current = state.key === key && query === wanted && !state.loading;
  const open = list.open && query !== '' && project !== null;

  useEffect(() => {
    dispatch({ type: 'options', count: optionCount });
  }, [state.result, optionCount]);

  useEffect(() => {
    if (current && pendingEnter.current) {
      pendingEnter.current = false;
      choose(Math.min(Math.max(list.active, 0), optionCount - 1));
    }
  }, [current]);

  const choose = (index: number): void => {
    if (!project || !query || index < 0) {
      return;
    }
    dispatch({ type: 'close' });
    if (index < items.length) {
      props.onOpen(project, items[index].unique_id);
    } else {
      props.onSeeAll(project, query);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (optionCount > 0) {
          event.preventDefault();
          dispatch({
            type: 'move',
            delta: event.key === 'ArrowDown' ? 1 : -1,
            count: optionCount
          });
        }
        break;
      case 'Enter':
        if (!wanted) {
          break;
        }
        event.preventDefault();
        if (current) {
          choose(list.open && list.active >= 0 ? list.active : 0);
        } else {
          pendingEnter.current = true;
          setQuery(wanted);
        }
        break;
      case 'Escape':
        // Keep JupyterLab's own Escape handling away from the box.
        event.stopPropagation();
        if (open) {
          // A search input clears itself on Escape: only close the list.
          event.preventDefault();
          dispatch({ type: 'close' });
        } else if (text) {
          setText('');
        }
        break;
    }
  };

  const optionId = (index: number): string => `${idPrefix}-option-${index}`;
  const listId = `${idPrefix}-list`;

  return (
    <div className="jp-DbtWorkbench-searchBox">
      <div className="jp-DbtWorkbench-searchInput">
        <searchIcon.react
          className="jp-DbtWorkbench-searchIcon"
          tag="span"
          elementSize="small"
        />
        <input
          className="jp-DbtWorkbench-searchText jp-mod-styled"
          type="search"
          role="combobox"
          placeholder="Search the project…"
          title="Search every node, macro and column of the project (↑/↓, Enter, Escape). The box below only filters the tree."
          aria-label="Search the project"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={
            open && list.active >= 0 && list.active < optionCount
              ? optionId(list.active)
              : undefined
          }
          autoComplete="off"
          spellCheck={false}
          disabled={project === null}
          value={text}
          onChange={event => {
            setText(event.target.value);
            pendingEnter.current = false;
            dispatch({ type: 'input' });
          }}
          onKeyDown={onKeyDown}
          onFocus={() => dispatch({ type: 'open' })}
          onBlur={() => dispatch({ type: 'close' })}
        />
      </div>
      {open ? (
        <div className="jp-DbtWorkbench-searchDropdown">
          {state.loading ? (
            <div
              className="jp-DbtWorkbench-searchProgress"
              role="progressbar"
              aria-label="Searching"
            />
          ) : null}
          {state.error ? (
            <div className="jp-DbtWorkbench-searchError" role="alert">
              {state.error}
            </div>
          ) : null}
          {state.result && state.result.total === 0 ? (
            <div className="jp-DbtWorkbench-searchNone">
              Nothing matches “{query}”. Check the spelling or try fewer words.
            </div>
          ) : null}
          <ul
            className="jp-DbtWorkbench-searchOptions"
            role="listbox"
            id={listId}
            aria-label="Search results"
          >
            {items.map((hit, index) => (
              <li
                key={hit.unique_id}
                id={optionId(index)}
                className="jp-DbtWorkbench-searchOption"
                role="option"
                aria-selected={index === list.active}
                data-unique-id={hit.unique_id}
                // Keep the focus in the box so the list stays open.
                onMouseDown={event => event.preventDefault()}
                onMouseMove={() => {
                  if (index !== list.active) {
                    dispatch({ type: 'activate', index, count: optionCount });
                  }
                }}
                onClick={() => choose(index)}
              >
                <span className="jp-DbtWorkbench-searchOptionHead">
                  <TypeBadge type={hit.resource_type} />
                  <HitName hit={hit} />
                </span>
                <HitSnippet hit={hit} />
              </li>
            ))}
            <li
              id={optionId(items.length)}
              className="jp-DbtWorkbench-searchOption jp-DbtWorkbench-searchAll"
              role="option"
              aria-selected={items.length === list.active}
              onMouseDown={event => event.preventDefault()}
              onMouseMove={() => {
                if (items.length !== list.active) {
                  dispatch({
                    type: 'activate',
                    index: items.length,
                    count: optionCount
                  });
                }
              }}
              onClick={() => choose(items.length)}
            >
              See all results for “{query}”
              {state.result && state.result.total > items.length
                ? ` (${state.result.total})`
                : ''}
            </li>
          </ul>
        </div>
      ) : null}
    </div>
  );
}
