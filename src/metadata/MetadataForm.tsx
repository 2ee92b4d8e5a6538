import { ReactWidget } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { IDraft } from './draft';
import { IEditableNode } from './types';

interface IFormProps {
  node: IEditableNode;
  initial: IDraft;
  onChange: (draft: IDraft) => void;
}

function MetadataFormView(props: IFormProps): JSX.Element {
  const { node } = props;
  const [draft, setDraft] = useState<IDraft>(props.initial);
  const update = (next: IDraft): void => {
    setDraft(next);
    props.onChange(next);
  };
  const setColumn = (
    name: string,
    field: 'description' | 'tags',
    value: string
  ): void =>
    update({
      ...draft,
      columns: {
        ...draft.columns,
        [name]: { ...draft.columns[name], [field]: value }
      }
    });
  const inherited = node.effective_tags.filter(
    tag => !draft.tags.split(/[\s,]+/).includes(tag)
  );
  return (
    <div className="jp-DbtWorkbench-metadataForm">
      <p className="jp-DbtWorkbench-metadataFile">
        {node.file_exists ? 'Written to ' : 'Creates '}
        <code>{node.file}</code>
      </p>
      <label>
        Description
        <textarea
          className="jp-mod-styled"
          name="description"
          rows={4}
          value={draft.description}
          onChange={event =>
            update({ ...draft, description: event.target.value })
          }
        />
      </label>
      <label>
        Tags
        <input
          className="jp-mod-styled"
          name="tags"
          placeholder="finance, daily"
          value={draft.tags}
          onChange={event => update({ ...draft, tags: event.target.value })}
        />
      </label>
      {inherited.length > 0 && (
        <p className="jp-DbtWorkbench-metadataHint">
          Also applied from dbt_project.yml or config(): {inherited.join(', ')}
        </p>
      )}
      <label>
        Owner
        <input
          className="jp-mod-styled"
          name="owner"
          placeholder={
            node.effective_owner
              ? `inherited: ${node.effective_owner}`
              : 'a team or a person'
          }
          value={draft.owner}
          onChange={event => update({ ...draft, owner: event.target.value })}
        />
      </label>
      {node.columns.length > 0 && (
        <details className="jp-DbtWorkbench-metadataColumns">
          <summary>Columns ({node.columns.length})</summary>
          <table>
            <thead>
              <tr>
                <th>Column</th>
                <th>Description</th>
                <th>Tags</th>
              </tr>
            </thead>
            <tbody>
              {node.columns.map(column => (
                <tr key={column.name} data-column={column.name}>
                  <td>
                    <code>{column.name}</code>
                  </td>
                  <td>
                    <input
                      className="jp-mod-styled"
                      aria-label={`Description of ${column.name}`}
                      value={draft.columns[column.name]?.description ?? ''}
                      onChange={event =>
                        setColumn(
                          column.name,
                          'description',
                          event.target.value
                        )
                      }
                    />
                  </td>
                  <td>
                    <input
                      className="jp-mod-styled"
                      aria-label={`Tags of ${column.name}`}
                      value={draft.columns[column.name]?.tags ?? ''}
                      onChange={event =>
                        setColumn(column.name, 'tags', event.target.value)
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

/** The edit form as a dialog body; `getValue()` gives the current draft. */
export class MetadataForm extends ReactWidget {
  constructor(
    private readonly _node: IEditableNode,
    private _draft: IDraft
  ) {
    super();
    this.addClass('jp-DbtWorkbench-metadataDialog');
  }

  getValue(): IDraft {
    return this._draft;
  }

  protected render(): JSX.Element {
    return (
      <MetadataFormView
        node={this._node}
        initial={this._draft}
        onChange={draft => (this._draft = draft)}
      />
    );
  }
}
