/**
 * Pure functions that turn the flat node list into the side panel's tree:
 * filtering, grouping and flattening the expanded part into rows.
 */
import type { GroupBy, INodeSummary } from '../tokens';

/** The label of nodes that have no value for the grouping key. */
export const EMPTY_LABELS: Record<GroupBy, string> = {
  folder: '(root)',
  schema: '(no schema)',
  tag: '(untagged)',
  resource_type: '(unknown type)'
};

/** A group of the tree; `key` is unique within one grouping. */
export interface ITreeGroup {
  key: string;
  label: string;
  groups: ITreeGroup[];
  nodes: INodeSummary[];
  /** The number of leaves in this group and all groups below it. */
  count: number;
}

/** One visible line of the flattened tree. */
export type TreeRow =
  | {
      type: 'group';
      key: string;
      depth: number;
      group: ITreeGroup;
      expanded: boolean;
    }
  | {
      type: 'node';
      key: string;
      depth: number;
      node: INodeSummary;
      groupKey: string;
    };

/**
 * Whether a node matches a filter text: every whitespace-separated term must
 * appear (case-insensitively) in its name, description, tags or file path.
 */
export function matchesFilter(node: INodeSummary, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) {
    return true;
  }
  const haystack = [
    node.name,
    node.description,
    node.original_file_path,
    ...node.tags
  ]
    .join('\n')
    .toLowerCase();
  return terms.every(term => haystack.includes(term));
}

/** The nodes matching a filter text, in their original order. */
export function filterNodes(
  nodes: readonly INodeSummary[],
  query: string
): INodeSummary[] {
  if (!query.trim()) {
    return nodes.slice();
  }
  return nodes.filter(node => matchesFilter(node, query));
}

/** The directory of a file path, '' for a file at the top. */
function dirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index < 0 ? '' : path.slice(0, index);
}

/**
 * The group paths a node belongs to: one path of nested segments for folder
 * grouping (e.g. `['models', 'marts']`), one single-segment path per tag
 * for tag grouping, one single-segment path otherwise.
 */
export function groupPaths(node: INodeSummary, groupBy: GroupBy): string[][] {
  switch (groupBy) {
    case 'folder': {
      const folder = node.folder || dirname(node.original_file_path);
      const segments = folder.split('/').filter(Boolean);
      return [segments.length ? segments : [EMPTY_LABELS.folder]];
    }
    case 'schema':
      return [[node.schema || EMPTY_LABELS.schema]];
    case 'tag':
      return node.tags.length
        ? [...new Set(node.tags)].map(tag => [tag])
        : [[EMPTY_LABELS.tag]];
    case 'resource_type':
      return [[node.resource_type || EMPTY_LABELS.resource_type]];
  }
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });
}

function sortGroup(group: ITreeGroup): number {
  group.groups.sort((a, b) => compareText(a.label, b.label));
  group.nodes.sort(
    (a, b) =>
      compareText(a.name, b.name) || compareText(a.unique_id, b.unique_id)
  );
  group.count =
    group.nodes.length +
    group.groups.reduce((total, child) => total + sortGroup(child), 0);
  return group.count;
}

/**
 * Group nodes into a tree whose root (key '') holds the top-level groups.
 * Folder groups nest (`models` > `marts`) and their keys are the folder
 * paths (`models/marts`); other groups are flat and keyed by their value.
 * Groups are sorted by label and list sub-groups before nodes.
 */
export function buildTree(
  nodes: readonly INodeSummary[],
  groupBy: GroupBy
): ITreeGroup {
  const root: ITreeGroup = {
    key: '',
    label: '',
    groups: [],
    nodes: [],
    count: 0
  };
  const byKey = new Map<string, ITreeGroup>();
  for (const node of nodes) {
    for (const path of groupPaths(node, groupBy)) {
      let parent = root;
      path.forEach((segment, depth) => {
        const key = path.slice(0, depth + 1).join('/');
        let group = byKey.get(key);
        if (!group) {
          group = { key, label: segment, groups: [], nodes: [], count: 0 };
          byKey.set(key, group);
          parent.groups.push(group);
        }
        parent = group;
      });
      parent.nodes.push(node);
    }
  }
  sortGroup(root);
  return root;
}

/**
 * The visible rows of a tree: every top-level group, and the children of
 * each group for which `isExpanded(group, depth)` is true.
 */
export function flattenTree(
  root: ITreeGroup,
  isExpanded: (group: ITreeGroup, depth: number) => boolean
): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (group: ITreeGroup, depth: number): void => {
    for (const child of group.groups) {
      const expanded = isExpanded(child, depth);
      rows.push({
        type: 'group',
        key: child.key,
        depth,
        group: child,
        expanded
      });
      if (expanded) {
        visit(child, depth + 1);
      }
    }
    for (const node of group.nodes) {
      rows.push({
        type: 'node',
        key: `${group.key}\u0000${node.unique_id}`,
        depth,
        node,
        groupKey: group.key
      });
    }
  };
  visit(root, 0);
  return rows;
}
