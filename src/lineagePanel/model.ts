/**
 * The logic of the lineage panel that needs no widget: what a panel shows,
 * its id and title, the pickers' options, selectors to copy and the names
 * of exported files.
 */
import type { GroupKey, ILineageQuery, Lens } from '../lineage/types';
import { nodeSelector, scopedSelector, SelectScope } from '../model/runs';

/** What a lineage panel was opened on: a node, or a dbt selection. */
export interface ILineageTarget {
  project: string;
  /** Focus on this node (`depth+node+depth`). */
  uniqueId?: string;
  /** A dbt selector, used when there is no node. */
  select?: string;
  exclude?: string;
}

/** The colour lenses, in the order the picker shows them. */
export const LENS_OPTIONS: ReadonlyArray<{ value: Lens; label: string }> = [
  { value: 'resource_type', label: 'Resource type' },
  { value: 'materialized', label: 'Materialization' },
  { value: 'status', label: 'Latest run status' },
  { value: 'test_status', label: 'Test status' },
  { value: 'tag', label: 'Tag' }
];

/** The groupings, in the order the picker shows them ('' is none). */
export const GROUP_OPTIONS: ReadonlyArray<{
  value: GroupKey | '';
  label: string;
}> = [
  { value: '', label: 'No groups' },
  { value: 'folder', label: 'Folder' },
  { value: 'schema', label: 'Schema' },
  { value: 'package', label: 'Package' },
  { value: 'tag', label: 'Tag' },
  { value: 'resource_type', label: 'Resource type' }
];

/** Whether a value names a lens. */
export function isLens(value: unknown): value is Lens {
  return LENS_OPTIONS.some(option => option.value === value);
}

/** The group key a picker value stands for; null for none or bad values. */
export function groupKey(value: unknown): GroupKey | null {
  const option = GROUP_OPTIONS.find(item => item.value === value);
  return option && option.value ? option.value : null;
}

/** The last segment of a unique id: a node's name when nothing else is known. */
export function shortName(uniqueId: string): string {
  const parts = uniqueId.split('.');
  return parts[parts.length - 1] || uniqueId;
}

/**
 * The most nodes a selection shows: the server's own cap. The renderer stays
 * smooth on whole 5,000-model projects, so a selection is never cut to the
 * server's default of 500.
 */
export const SELECTION_MAX_NODES = 20000;

/** The query a panel loads first. */
export function initialQuery(
  target: ILineageTarget,
  depth: number
): ILineageQuery {
  if (target.uniqueId) {
    return { focus: target.uniqueId, depth };
  }
  return {
    select: target.select || undefined,
    exclude: target.exclude || undefined,
    maxNodes: SELECTION_MAX_NODES
  };
}

/**
 * The main-area id of a panel: one panel per project and target, so asking
 * twice for the same lineage shows the open panel.
 */
export function lineagePanelId(target: ILineageTarget): string {
  const what = target.uniqueId
    ? `node:${target.uniqueId}`
    : `select:${target.select ?? ''}|${target.exclude ?? ''}`;
  return `dbt-workbench-lineage:${target.project}:${what}`;
}

/** The tab label of a panel. */
export function panelLabel(target: ILineageTarget): string {
  if (target.uniqueId) {
    return `Lineage: ${shortName(target.uniqueId)}`;
  }
  return target.select ? `Lineage: ${target.select}` : 'Lineage';
}

/** The ways to copy a node's selector, in menu order. */
export type CopyScope = SelectScope | 'both';

export const COPY_SCOPES: readonly CopyScope[] = [
  'node',
  'upstream',
  'downstream',
  'both'
];

/** The selector text copied for a node, e.g. `+fct_orders+`. */
export function copySelector(
  node: { unique_id: string; name: string; resource_type: string },
  scope: CopyScope
): string {
  const selector = nodeSelector(node);
  return scope === 'both' ? `+${selector}+` : scopedSelector(selector, scope);
}

/** The file name an export downloads as, e.g. `shop-lineage-fct_orders.svg`. */
export function exportFileName(
  projectName: string,
  selection: string,
  extension: 'svg' | 'png'
): string {
  const slug = (text: string): string =>
    text
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^[_.]+|[_.]+$/g, '');
  const project = slug(projectName) || 'dbt';
  const what = slug(selection).slice(0, 80);
  return `${project}-lineage${what ? `-${what}` : ''}.${extension}`;
}

/** The label of a node's "open its file" action by what the file holds. */
export function fileActionLabel(resourceType: string | undefined): string {
  switch (resourceType) {
    case 'model':
    case 'snapshot':
    case 'analysis':
    case 'test':
      return 'Open SQL File';
    case 'seed':
      return 'Open Seed File';
    default:
      return 'Open Definition File';
  }
}

/** A one-line summary of what the view shows, e.g. `12 of 40 nodes`. */
export function countSummary(shown: number, total: number | null): string {
  const noun = shown === 1 ? 'node' : 'nodes';
  if (total === null || total <= shown) {
    return `${shown} ${noun}`;
  }
  return `${shown} of ${total} nodes`;
}
