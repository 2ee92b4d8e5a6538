/**
 * What is selected in the view: one node (mirrored in the host's `data-selected`), one
 * column edge, and the memoized up- and downstream sets that highlight a node's paths.
 */
import { LineageGraph } from './graph';
import { ISceneColumnEdge, Scene } from './scene';
import { ILineageViewOptions } from './types';

export class Selection {
  private _node: string | null = null;
  private _edge: ISceneColumnEdge | null = null;
  private readonly _related = new Map<string, Set<string>>();

  /** `changed` is called when the selection changes, to repaint. */
  constructor(
    private readonly _host: HTMLElement,
    private readonly _options: ILineageViewOptions,
    private readonly _changed: () => void
  ) {}

  /** The selected node's unique id. */
  get node(): string | null {
    return this._node;
  }

  /** The selected column edge. */
  get edge(): ISceneColumnEdge | null {
    return this._edge;
  }

  /** Select a node (null: none); `user` says the user did, so `onSelect` is told. */
  setNode(id: string | null, user: boolean): void {
    if (id === this._node) {
      return;
    }
    this._node = id;
    if (id === null) {
      this._host.removeAttribute('data-selected');
    } else {
      this._host.setAttribute('data-selected', id);
    }
    if (user) {
      this._options.onSelect?.(id);
    }
    this._changed();
  }

  /** Select a column edge (null: none) and tell `onEdgeSelect`. */
  setEdge(edge: ISceneColumnEdge | null): void {
    if (edge === this._edge) {
      return;
    }
    this._edge = edge;
    this._options.onEdgeSelect?.(
      edge === null
        ? null
        : {
            source: edge.source,
            source_column: edge.source_column,
            target: edge.target,
            target_column: edge.target_column,
            kind: edge.kind,
            expression: edge.expression
          }
    );
    this._changed();
  }

  /** Forget the selected edge without telling anyone; true when there was one. */
  dropEdge(): boolean {
    const had = this._edge !== null;
    this._edge = null;
    return had;
  }

  /** Point the selected edge at the same edge in a rebuilt scene (none when it is gone). */
  rematchEdge(scene: Scene): void {
    const old = this._edge;
    if (old === null) {
      return;
    }
    this._edge =
      scene.columnEdges.find(
        e =>
          e.source === old.source &&
          e.source_column === old.source_column &&
          e.target === old.target &&
          e.target_column === old.target_column
      ) ?? null;
  }

  /** The node and everything up and downstream of it (memoized until `forgetPaths`). */
  related(graph: LineageGraph, id: string): Set<string> {
    let found = this._related.get(id);
    if (found === undefined) {
      found = new Set([id, ...graph.upstream(id), ...graph.downstream(id)]);
      this._related.set(id, found);
    }
    return found;
  }

  /** Forget the memoized paths: the shown graph changed. */
  forgetPaths(): void {
    this._related.clear();
  }
}
