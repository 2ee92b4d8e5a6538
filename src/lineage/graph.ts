/**
 * The client-side lineage graph: what is shown, what can still be expanded, paths through
 * a node, grouping into collapsible boxes and search.
 */
import { Direction, GroupKey, ILineage, ILineageNode } from './types';

/** A box on screen: one node, or a collapsed group of nodes. */
export interface IDisplayItem {
  id: string;
  kind: 'node' | 'group';
  /** The node (kind `node`). */
  node: ILineageNode | null;
  /** The group key and its members (kind `group`). */
  group: { key: string; label: string; members: string[] } | null;
}

/** An edge between boxes; `count` > 1 when edges were aggregated by collapsing. */
export interface IDisplayEdge {
  from: string;
  to: string;
  count: number;
}

export interface IDisplayGraph {
  items: IDisplayItem[];
  edges: IDisplayEdge[];
}

/** The id of a collapsed group's box. */
export function groupItemId(key: string): string {
  return `group:${key}`;
}

const NO_VALUE = '(none)';

/** The group a node falls in for a grouping key (a node with several tags: its first). */
export function groupOf(node: ILineageNode, key: GroupKey): string {
  switch (key) {
    case 'folder':
      return node.folder || NO_VALUE;
    case 'schema':
      return node.schema || NO_VALUE;
    case 'package':
      return node.package || NO_VALUE;
    case 'tag':
      return node.tags.length > 0 ? node.tags[0] : '(untagged)';
    case 'resource_type':
      return node.resource_type;
  }
}

/** The nodes and edges shown, merged from lineage payloads. */
export class LineageGraph {
  readonly nodes = new Map<string, ILineageNode>();
  private readonly _parents = new Map<string, Set<string>>();
  private readonly _children = new Map<string, Set<string>>();
  private _edgeCount = 0;
  focus: string | null = null;
  project = '';

  get size(): number {
    return this.nodes.size;
  }

  get edgeCount(): number {
    return this._edgeCount;
  }

  /** Every shown edge as [parent, child]. */
  edges(): [string, string][] {
    const found: [string, string][] = [];
    for (const [parent, children] of this._children) {
      for (const child of children) {
        found.push([parent, child]);
      }
    }
    return found;
  }

  /** Show exactly this payload. */
  replace(lineage: ILineage): void {
    this.nodes.clear();
    this._parents.clear();
    this._children.clear();
    this._edgeCount = 0;
    this.focus = lineage.focus;
    this.project = lineage.project;
    this.merge(lineage);
  }

  /**
   * Add a payload to what is shown (an expansion keeps everything already there). Returns
   * the ids of the nodes that were not shown before.
   */
  merge(lineage: ILineage): string[] {
    const added: string[] = [];
    for (const node of lineage.nodes) {
      const known = this.nodes.get(node.unique_id);
      if (known === undefined) {
        added.push(node.unique_id);
        this.nodes.set(node.unique_id, node);
      } else {
        // Keep the distance from the original focus; refresh everything else.
        this.nodes.set(node.unique_id, { ...node, distance: known.distance });
      }
    }
    for (const [from, to] of lineage.edges) {
      this.addEdge(from, to);
    }
    return added;
  }

  /** Add an edge between two shown nodes (ignored when either is not shown). */
  addEdge(from: string, to: string): void {
    if (!this.nodes.has(from) || !this.nodes.has(to) || from === to) {
      return;
    }
    const children = this._set(this._children, from);
    if (!children.has(to)) {
      children.add(to);
      this._set(this._parents, to).add(from);
      this._edgeCount++;
    }
  }

  parents(id: string): ReadonlySet<string> {
    return this._parents.get(id) ?? EMPTY;
  }

  children(id: string): ReadonlySet<string> {
    return this._children.get(id) ?? EMPTY;
  }

  /** Whether the node has parents (upstream) or children (downstream) not shown. */
  hasHidden(id: string, direction: Direction): boolean {
    const node = this.nodes.get(id);
    if (node === undefined) {
      return false;
    }
    return direction === 'upstream'
      ? node.parent_count > this.parents(id).size
      : node.child_count > this.children(id).size;
  }

  /** Every shown ancestor of the node (not the node itself). */
  upstream(id: string): Set<string> {
    return this._walk(id, this._parents);
  }

  /** Every shown descendant of the node (not the node itself). */
  downstream(id: string): Set<string> {
    return this._walk(id, this._children);
  }

  /**
   * Shown nodes whose name or unique id contains the text (case-insensitive): exact names
   * first, then names starting with it, names containing it, ids containing it; each tier
   * by name.
   */
  search(text: string): string[] {
    const needle = text.trim().toLowerCase();
    if (needle === '') {
      return [];
    }
    const scored: { id: string; tier: number; name: string }[] = [];
    for (const node of this.nodes.values()) {
      const name = node.name.toLowerCase();
      let tier = -1;
      if (name === needle) {
        tier = 0;
      } else if (name.startsWith(needle)) {
        tier = 1;
      } else if (name.includes(needle)) {
        tier = 2;
      } else if (node.unique_id.toLowerCase().includes(needle)) {
        tier = 3;
      }
      if (tier >= 0) {
        scored.push({ id: node.unique_id, tier, name });
      }
    }
    scored.sort(
      (a, b) =>
        a.tier - b.tier ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        (a.id < b.id ? -1 : 1)
    );
    return scored.map(s => s.id);
  }

  /** The groups of the shown nodes for a grouping key: group -> member ids. */
  groups(key: GroupKey): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const node of this.nodes.values()) {
      const group = groupOf(node, key);
      const members = groups.get(group);
      if (members === undefined) {
        groups.set(group, [node.unique_id]);
      } else {
        members.push(node.unique_id);
      }
    }
    return groups;
  }

  /**
   * The boxes and edges to draw: nodes of collapsed groups become one box per group, their
   * edges aggregated with counts (edges inside one collapsed group disappear).
   */
  display(
    groupBy: GroupKey | null,
    collapsed: ReadonlySet<string>
  ): IDisplayGraph {
    const items: IDisplayItem[] = [];
    const boxOf = new Map<string, string>();
    const groups = groupBy ? this.groups(groupBy) : new Map<string, string[]>();
    for (const node of this.nodes.values()) {
      const group = groupBy ? groupOf(node, groupBy) : null;
      if (group !== null && collapsed.has(group)) {
        boxOf.set(node.unique_id, groupItemId(group));
      } else {
        boxOf.set(node.unique_id, node.unique_id);
        items.push({ id: node.unique_id, kind: 'node', node, group: null });
      }
    }
    for (const [key, members] of groups) {
      if (collapsed.has(key)) {
        items.push({
          id: groupItemId(key),
          kind: 'group',
          node: null,
          group: { key, label: key, members }
        });
      }
    }
    const counts = new Map<string, IDisplayEdge>();
    for (const [parent, children] of this._children) {
      const from = boxOf.get(parent) as string;
      for (const child of children) {
        const to = boxOf.get(child) as string;
        if (from === to) {
          continue;
        }
        const key = `${from}\u0000${to}`;
        const edge = counts.get(key);
        if (edge === undefined) {
          counts.set(key, { from, to, count: 1 });
        } else {
          edge.count++;
        }
      }
    }
    return { items, edges: [...counts.values()] };
  }

  private _set(map: Map<string, Set<string>>, id: string): Set<string> {
    let set = map.get(id);
    if (set === undefined) {
      set = new Set();
      map.set(id, set);
    }
    return set;
  }

  private _walk(id: string, next: Map<string, Set<string>>): Set<string> {
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      for (const other of next.get(current) ?? EMPTY) {
        if (!seen.has(other) && other !== id) {
          seen.add(other);
          stack.push(other);
        }
      }
    }
    return seen;
  }
}

const EMPTY: ReadonlySet<string> = new Set<string>();

/**
 * A selector that selects the node (and, with `+`, its neighbours) in dbt syntax. Names
 * can be ambiguous (a seed and a model of the same name): callers filter the answer by
 * unique id.
 */
export function selectorOf(node: ILineageNode): string {
  const type = node.resource_type;
  if (type === 'source') {
    // source.<package>.<source_name>.<table>
    return `source:${node.unique_id.split('.').slice(2).join('.')}`;
  }
  if (
    [
      'exposure',
      'metric',
      'semantic_model',
      'saved_query',
      'unit_test'
    ].includes(type)
  ) {
    return `${type}:${node.name}`;
  }
  return node.name;
}
