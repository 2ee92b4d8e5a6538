/**
 * Colours: the theme's (read from JupyterLab's `--jp-*` variables, with fallbacks for pages
 * without them) and the categorical colours of each lens.
 */
import { ILineageNode, Lens } from './types';

/** Concrete colours of the current theme (canvas and SVG cannot use CSS variables). */
export interface ITheme {
  background: string;
  surface: string;
  border: string;
  text: string;
  mutedText: string;
  edge: string;
  accent: string;
  warn: string;
  error: string;
  font: string;
}

const THEME_VARIABLES: [keyof ITheme, string, string][] = [
  ['background', '--jp-layout-color0', '#ffffff'],
  ['surface', '--jp-layout-color1', '#ffffff'],
  ['border', '--jp-border-color1', '#bdbdbd'],
  ['text', '--jp-ui-font-color0', '#212121'],
  ['mutedText', '--jp-ui-font-color2', '#616161'],
  ['edge', '--jp-ui-font-color3', '#9e9e9e'],
  ['accent', '--jp-brand-color1', '#1976d2'],
  ['warn', '--jp-warn-color1', '#f57c00'],
  ['error', '--jp-error-color1', '#d32f2f'],
  ['font', '--jp-ui-font-family', 'system-ui, -apple-system, sans-serif']
];

/** The theme's colours as the element sees them. */
export function readTheme(element: Element): ITheme {
  const style =
    typeof getComputedStyle === 'function' ? getComputedStyle(element) : null;
  const theme = {} as ITheme;
  for (const [key, variable, fallback] of THEME_VARIABLES) {
    const value = style?.getPropertyValue(variable).trim();
    theme[key] = value ? value : fallback;
  }
  return theme;
}

/**
 * Call `changed` whenever JupyterLab switches themes (it changes attributes on <body>);
 * returns the observer to disconnect, or null where there is no DOM to watch.
 */
export function watchTheme(changed: () => void): MutationObserver | null {
  if (typeof MutationObserver === 'undefined' || !document.body) {
    return null;
  }
  const observer = new MutationObserver(changed);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class']
  });
  return observer;
}

const NONE = '#9e9e9e';

const FIXED: Record<Lens, Record<string, string>> = {
  resource_type: {
    model: '#1976d2',
    seed: '#388e3c',
    snapshot: '#7b1fa2',
    source: '#ef6c00',
    exposure: '#c2185b',
    analysis: '#6d4c41',
    metric: '#00838f',
    semantic_model: '#00897b',
    saved_query: '#5d4037',
    unit_test: '#546e7a'
  },
  materialized: {
    table: '#1565c0',
    view: '#43a047',
    incremental: '#8e24aa',
    ephemeral: '#78909c',
    materialized_view: '#00838f',
    seed: '#2e7d32',
    snapshot: '#6a1b9a'
  },
  status: {
    success: '#2e7d32',
    pass: '#2e7d32',
    warn: '#f9a825',
    error: '#d32f2f',
    fail: '#d32f2f',
    'runtime error': '#d32f2f',
    skipped: '#9e9e9e'
  },
  test_status: {
    pass: '#2e7d32',
    warn: '#f9a825',
    fail: '#d32f2f',
    error: '#d32f2f',
    skipped: '#9e9e9e'
  },
  tag: {}
};

const CATEGORICAL = [
  '#1976d2',
  '#388e3c',
  '#f57c00',
  '#7b1fa2',
  '#c2185b',
  '#00838f',
  '#5d4037',
  '#afb42b',
  '#3949ab',
  '#e64a19'
];

/** What a node shows under a lens (null: nothing known). */
export function lensValue(node: ILineageNode, lens: Lens): string | null {
  switch (lens) {
    case 'resource_type':
      return node.resource_type;
    case 'materialized':
      return node.materialized;
    case 'status':
      return node.status;
    case 'test_status':
      return node.test_status;
    case 'tag':
      return node.tags.length > 0 ? node.tags[0] : null;
  }
}

/** The colour of a lens value; stable for values without a fixed colour. */
export function lensColour(lens: Lens, value: string | null): string {
  if (value === null) {
    return NONE;
  }
  const fixed = FIXED[lens][value];
  if (fixed !== undefined) {
    return fixed;
  }
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (hash * 31 + value.charCodeAt(i)) | 0;
  }
  return CATEGORICAL[Math.abs(hash) % CATEGORICAL.length];
}

/** The label of a lens value in the legend. */
export function lensLabel(lens: Lens, value: string | null): string {
  if (value !== null) {
    return value.replace(/_/g, ' ');
  }
  return lens === 'tag'
    ? 'no tag'
    : lens === 'materialized'
      ? 'n/a'
      : 'no result';
}

export const LENS_TITLES: Record<Lens, string> = {
  resource_type: 'Resource type',
  materialized: 'Materialization',
  status: 'Latest run',
  test_status: 'Tests',
  tag: 'Tag'
};

/** Colours of column lineage coverage marks. */
export function coverageColour(theme: ITheme, status: string): string {
  return status === 'failed'
    ? theme.error
    : status === 'partial'
      ? theme.warn
      : theme.mutedText;
}
