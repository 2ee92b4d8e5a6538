import {
  downloadIcon,
  LabIcon,
  searchIcon,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import type { GroupKey, Lens } from '../lineage/types';
import { countSummary, GROUP_OPTIONS, groupKey, LENS_OPTIONS } from './model';

/** What the toolbar shows of its panel. */
export interface ILineageToolbarState {
  /** The applied selector and exclude. */
  select: string;
  exclude: string;
  /** Why the last selection could not be shown (the graph stays). */
  error: string | null;
  loading: boolean;
  lens: Lens;
  groupBy: GroupKey | null;
  columnMode: boolean;
  /** Matches of the last search; null before any. */
  matches: number | null;
  shown: number;
  total: number | null;
}

/** What the toolbar asks of its panel. */
export interface ILineageToolbarActions {
  apply: (select: string, exclude: string) => void;
  setLens: (lens: Lens) => void;
  setGroupBy: (key: GroupKey | null) => void;
  search: (text: string) => void;
  clearSearch: () => void;
  setColumnMode: (on: boolean) => void;
  fit: () => void;
  zoom: (factor: number) => void;
  exportAs: (format: 'svg' | 'png') => void;
}

/** Props of {@link LineageToolbar}. */
export interface ILineageToolbarProps {
  state: ILineageToolbarState;
  actions: ILineageToolbarActions;
}

/** A toolbar button with an icon or a short text. */
function ToolButton(props: {
  label: string;
  title: string;
  icon?: LabIcon;
  text?: string;
  pressed?: boolean;
  className?: string;
  onClick: () => void;
}): JSX.Element {
  const Icon = props.icon;
  return (
    <button
      className={`jp-DbtWorkbench-lineageButton ${props.className ?? ''}`}
      title={props.title}
      aria-label={props.label}
      aria-pressed={props.pressed}
      onClick={props.onClick}
    >
      {Icon ? (
        <Icon.react tag="span" className="jp-DbtWorkbench-lineageButtonIcon" />
      ) : null}
      {props.text ? <span>{props.text}</span> : null}
    </button>
  );
}

/**
 * The lineage panel's controls: selector and exclude boxes (Enter applies),
 * grouping and lens pickers, search to focus, column mode, fit and zoom,
 * and export.
 */
export function LineageToolbar(props: ILineageToolbarProps): JSX.Element {
  const { state, actions } = props;
  const [select, setSelect] = useState(state.select);
  const [exclude, setExclude] = useState(state.exclude);
  const [search, setSearch] = useState('');

  // Show what the panel applied (e.g. the server's `1+node+1` for a focus).
  useEffect(() => setSelect(state.select), [state.select]);
  useEffect(() => setExclude(state.exclude), [state.exclude]);

  const onApplyKey = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      actions.apply(select, exclude);
    } else if (event.key === 'Escape') {
      setSelect(state.select);
      setExclude(state.exclude);
    }
  };

  const onSearchKey = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      actions.search(search);
    } else if (event.key === 'Escape') {
      setSearch('');
      actions.clearSearch();
    }
  };

  return (
    <div
      className="jp-DbtWorkbench-lineageToolbar"
      aria-busy={state.loading ? 'true' : 'false'}
    >
      <div className="jp-DbtWorkbench-lineageSelection">
        <label className="jp-DbtWorkbench-lineageField">
          <span>Select</span>
          <input
            className="jp-DbtWorkbench-lineageSelect"
            value={select}
            placeholder="+fct_orders+, tag:finance…"
            spellCheck={false}
            aria-invalid={state.error ? 'true' : 'false'}
            title="A dbt selector; press Enter to show it"
            onChange={event => setSelect(event.target.value)}
            onKeyDown={onApplyKey}
          />
        </label>
        <label className="jp-DbtWorkbench-lineageField">
          <span>Exclude</span>
          <input
            className="jp-DbtWorkbench-lineageExclude"
            value={exclude}
            placeholder="resource_type:seed"
            spellCheck={false}
            title="A dbt selector of nodes to leave out; press Enter to apply"
            onChange={event => setExclude(event.target.value)}
            onKeyDown={onApplyKey}
          />
        </label>
        <select
          className="jp-DbtWorkbench-lineageGroupBy"
          value={state.groupBy ?? ''}
          title="Group nodes"
          aria-label="Group nodes by"
          onChange={event => actions.setGroupBy(groupKey(event.target.value))}
        >
          {GROUP_OPTIONS.map(option => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <select
          className="jp-DbtWorkbench-lineageLens"
          value={state.lens}
          title="Colour nodes by"
          aria-label="Colour nodes by"
          onChange={event => actions.setLens(event.target.value as Lens)}
        >
          {LENS_OPTIONS.map(option => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <label className="jp-DbtWorkbench-lineageSearch">
          <searchIcon.react
            tag="span"
            className="jp-DbtWorkbench-lineageButtonIcon"
          />
          <input
            value={search}
            placeholder="Find a node"
            aria-label="Find a node and focus it"
            title="Press Enter to focus the first node whose name matches"
            onChange={event => setSearch(event.target.value)}
            onKeyDown={onSearchKey}
          />
          {state.matches !== null ? (
            <span className="jp-DbtWorkbench-lineageMatches">
              {state.matches === 0
                ? 'No match'
                : `${state.matches} match${state.matches === 1 ? '' : 'es'}`}
            </span>
          ) : null}
        </label>
        <ToolButton
          label="Column mode"
          title="Column mode: open models into their columns and trace them"
          icon={tableRowsIcon}
          text="Columns"
          pressed={state.columnMode}
          className="jp-DbtWorkbench-lineageColumns"
          onClick={() => actions.setColumnMode(!state.columnMode)}
        />
        <span className="jp-DbtWorkbench-lineageGroup">
          <ToolButton
            label="Zoom out"
            title="Zoom out"
            text="−"
            onClick={() => actions.zoom(1 / 1.25)}
          />
          <ToolButton
            label="Zoom in"
            title="Zoom in"
            text="+"
            onClick={() => actions.zoom(1.25)}
          />
          <ToolButton
            label="Fit"
            title="Fit the graph to the panel"
            text="Fit"
            onClick={actions.fit}
          />
        </span>
        <span className="jp-DbtWorkbench-lineageGroup">
          <ToolButton
            label="Export SVG"
            title="Download the view as an SVG file"
            icon={downloadIcon}
            text="SVG"
            className="jp-DbtWorkbench-lineageExportSvg"
            onClick={() => actions.exportAs('svg')}
          />
          <ToolButton
            label="Export PNG"
            title="Download the view as a PNG image"
            icon={downloadIcon}
            text="PNG"
            className="jp-DbtWorkbench-lineageExportPng"
            onClick={() => actions.exportAs('png')}
          />
        </span>
        <span
          className="jp-DbtWorkbench-lineageCount"
          data-loading={state.loading ? 'true' : 'false'}
        >
          {state.loading ? 'Loading…' : countSummary(state.shown, state.total)}
        </span>
      </div>
      {state.error ? (
        <div className="jp-DbtWorkbench-lineageError" role="alert">
          {state.error}
        </div>
      ) : null}
    </div>
  );
}
