/**
 * Grouping: the attribute the view groups nodes by, and which of its groups are collapsed
 * into one box.
 */
import { groupOf, IDisplayGraph, LineageGraph } from './graph';
import { GroupKey, ILineageNode } from './types';

export class Grouping {
  private _key: GroupKey | null = null;
  private readonly _collapsed = new Set<string>();

  /** Group by an attribute (null: no grouping); call `collapseAll` next. */
  setKey(key: GroupKey | null): void {
    this._key = key;
  }

  /** Collapse every group of the graph (none when not grouping). */
  collapseAll(graph: LineageGraph): void {
    this._collapsed.clear();
    if (this._key !== null) {
      for (const key of graph.groups(this._key).keys()) {
        this._collapsed.add(key);
      }
    }
  }

  /** Expand a collapsed group, or collapse an expanded one. */
  toggle(key: string): void {
    if (this._collapsed.has(key)) {
      this._collapsed.delete(key);
    } else {
      this._collapsed.add(key);
    }
  }

  /** Expand the group holding a node; true when it was collapsed. */
  open(node: ILineageNode): boolean {
    return (
      this._key !== null && this._collapsed.delete(groupOf(node, this._key))
    );
  }

  /** What to draw of the graph, grouped. */
  display(graph: LineageGraph): IDisplayGraph {
    return graph.display(this._key, this._collapsed);
  }
}
