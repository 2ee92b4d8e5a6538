import { MainAreaWidget } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ReactWidget } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import React from 'react';

import { NodePageView } from '../components/NodePageView';
import { resourceIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import type { INodeDetail } from '../tokens';

/** Options of {@link createNodePage}. */
export interface INodePageOptions {
  project: string;
  uniqueId: string;
  model: WorkbenchModel;
  rendermime: IRenderMimeRegistry;
  languages: IEditorLanguageRegistry | null;
  onOpenNode: (project: string, uniqueId: string) => void;
  onOpenFile: (project: string, node: INodeDetail) => void;
}

/** The main-area id of a node's page; one page per project and node. */
export function nodePageId(project: string, uniqueId: string): string {
  return `dbt-workbench-node:${project}:${uniqueId}`;
}

/** The content of a node page; knows which node it shows. */
export class NodePage extends ReactWidget {
  constructor(private readonly _options: INodePageOptions) {
    super();
    this.addClass('jp-DbtWorkbench-nodePage');
    this.node.dataset.uniqueId = _options.uniqueId;
    this.node.dataset.project = _options.project;
  }

  get project(): string {
    return this._options.project;
  }

  get uniqueId(): string {
    return this._options.uniqueId;
  }

  /** Emitted each time the node's details arrive. */
  get loaded(): ISignal<this, INodeDetail> {
    return this._loaded;
  }

  protected render(): JSX.Element {
    const options = this._options;
    return (
      <NodePageView
        project={options.project}
        uniqueId={options.uniqueId}
        model={options.model}
        rendermime={options.rendermime}
        languages={options.languages}
        onLoaded={this._handleLoaded}
        onOpenNode={uniqueId => options.onOpenNode(options.project, uniqueId)}
        onOpenFile={node => options.onOpenFile(options.project, node)}
      />
    );
  }

  private _handleLoaded = (node: INodeDetail): void => this._loaded.emit(node);
  private _loaded = new Signal<this, INodeDetail>(this);
}

/** A main-area page for one node, titled with its name and type icon. */
export function createNodePage(
  options: INodePageOptions
): MainAreaWidget<NodePage> {
  const content = new NodePage(options);
  const widget = new MainAreaWidget({ content });
  widget.id = nodePageId(options.project, options.uniqueId);
  widget.addClass('jp-DbtWorkbench-nodePageWidget');
  const shortName = options.uniqueId.split('.').pop() ?? options.uniqueId;
  widget.title.label = shortName;
  widget.title.caption = options.uniqueId;
  widget.title.icon = resourceIcon(options.uniqueId.split('.')[0]);
  widget.title.closable = true;
  content.loaded.connect((_, node) => {
    widget.title.label = node.name;
    widget.title.icon = resourceIcon(node.resource_type);
    widget.title.caption = `${node.resource_type} ${node.unique_id}\n${node.original_file_path}`;
  });
  return widget;
}
