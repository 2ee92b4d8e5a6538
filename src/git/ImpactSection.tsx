import React from 'react';

import { NodeLink } from '../components/NodeLink';
import { can, permissionTitle } from '../permissions';
import { GitModel } from './model';
import type { IChangedColumns, IChangeReport } from './types';

/** Props of {@link ImpactSection}. */
export interface IImpactSectionProps {
  model: GitModel;
  onOpenNode: (uniqueId: string) => void;
  onBuild: () => void;
}

/**
 * What the change does to the DAG: the modified nodes and why, everything
 * downstream of them, the exposures they feed and the changed columns.
 */
export function ImpactSection(props: IImpactSectionProps): JSX.Element {
  const { model } = props;
  const base = model.status?.repository.default_branch ?? null;
  const report = model.changes;
  return (
    <div
      className="jp-DbtWorkbench-gitImpact"
      data-scope={model.impactScope}
      aria-busy={model.changesLoading}
    >
      <div className="jp-DbtWorkbench-gitScope" role="radiogroup">
        <button
          role="radio"
          aria-checked={model.impactScope === 'worktree'}
          className={`jp-DbtWorkbench-gitScopeButton ${model.impactScope === 'worktree' ? 'jp-mod-active' : ''}`}
          title="Uncommitted changes (staged, unstaged, untracked) against HEAD"
          onClick={() => (model.impactScope = 'worktree')}
        >
          Working tree
        </button>
        <button
          role="radio"
          aria-checked={model.impactScope === 'branch'}
          className={`jp-DbtWorkbench-gitScopeButton ${model.impactScope === 'branch' ? 'jp-mod-active' : ''}`}
          disabled={base === null}
          title={
            base === null
              ? 'No default branch to compare with'
              : `Everything this branch changes since it left ${base}, uncommitted changes included`
          }
          onClick={() => (model.impactScope = 'branch')}
        >
          {base ? `Against ${base}` : 'Against the default branch'}
        </button>
      </div>
      {model.changesError ? (
        <p className="jp-DbtWorkbench-gitEmpty" role="alert">
          {model.changesError}
        </p>
      ) : report ? (
        <Report {...props} report={report} />
      ) : (
        <p className="jp-DbtWorkbench-gitEmpty">Reading the changes…</p>
      )}
    </div>
  );
}

function Report(
  props: IImpactSectionProps & { report: IChangeReport }
): JSX.Element {
  const { report, model, onOpenNode } = props;
  const mayRun = can(model.workbench.permissions, 'run_dbt');
  if (report.modified.length === 0) {
    return (
      <p className="jp-DbtWorkbench-gitEmpty">
        {report.files.length === 0
          ? 'No change.'
          : `${report.files.length} changed file(s), none of them defines a dbt node.`}
      </p>
    );
  }
  const downstream = [...report.downstream].sort(
    (a, b) => a.distance - b.distance || a.name.localeCompare(b.name)
  );
  return (
    <>
      <p className="jp-DbtWorkbench-gitImpactSummary">
        {report.modified.length} modified · {downstream.length} downstream ·{' '}
        {report.exposures.length} exposure(s)
      </p>
      <button
        className="jp-Button jp-mod-styled jp-mod-accept jp-DbtWorkbench-gitBuild"
        disabled={model.activity !== null || !mayRun}
        title={permissionTitle(
          model.workbench.permissions,
          'run_dbt',
          "dbt build -s state:modified+ with deferral to the base's manifest (the run appears in the Runs panel)"
        )}
        onClick={props.onBuild}
      >
        Build modified+
      </button>
      <h4>Modified</h4>
      <ul className="jp-DbtWorkbench-gitNodes jp-DbtWorkbench-gitModified">
        {report.modified.map(node => (
          <li key={node.unique_id} data-unique-id={node.unique_id}>
            <div className="jp-DbtWorkbench-gitNode">
              <NodeLink node={node} onOpen={onOpenNode} />
            </div>
            <div className="jp-DbtWorkbench-gitReasons" title={node.file}>
              {node.reasons.join('; ')}
            </div>
          </li>
        ))}
      </ul>
      <h4>Downstream</h4>
      {downstream.length === 0 ? (
        <p className="jp-DbtWorkbench-gitEmpty">Nothing downstream.</p>
      ) : (
        <ul className="jp-DbtWorkbench-gitNodes jp-DbtWorkbench-gitDownstream">
          {downstream.map(node => (
            <li key={node.unique_id} data-unique-id={node.unique_id}>
              <div className="jp-DbtWorkbench-gitNode">
                <NodeLink node={node} onOpen={onOpenNode} />
                <span
                  className="jp-DbtWorkbench-gitDistance"
                  title={`${node.distance} step(s) downstream`}
                >
                  {node.distance}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {report.exposures.length > 0 ? (
        <>
          <h4>Exposures</h4>
          <ul className="jp-DbtWorkbench-gitNodes jp-DbtWorkbench-gitExposures">
            {report.exposures.map(exposure => (
              <li key={exposure.unique_id}>
                <div className="jp-DbtWorkbench-gitNode">
                  <NodeLink
                    node={{ ...exposure, resource_type: 'exposure' }}
                    onOpen={onOpenNode}
                  />
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.columns.length > 0 ? (
        <>
          <h4>Columns</h4>
          {report.columns.map(columns => (
            <ColumnChanges
              key={columns.unique_id}
              columns={columns}
              onOpenNode={onOpenNode}
            />
          ))}
        </>
      ) : null}
    </>
  );
}

function ColumnChanges(props: {
  columns: IChangedColumns;
  onOpenNode: (uniqueId: string) => void;
}): JSX.Element {
  const { columns } = props;
  const nothing =
    columns.added.length + columns.removed.length + columns.changed.length ===
    0;
  return (
    <div
      className="jp-DbtWorkbench-gitColumns"
      data-unique-id={columns.unique_id}
    >
      <div className="jp-DbtWorkbench-gitNode">
        <NodeLink
          node={{ ...columns, resource_type: 'model' }}
          onOpen={props.onOpenNode}
        />
      </div>
      {columns.status === 'unavailable' ? (
        <p className="jp-DbtWorkbench-gitEmpty">
          Columns unavailable{columns.reason ? `: ${columns.reason}` : ''}
        </p>
      ) : nothing ? (
        <p className="jp-DbtWorkbench-gitEmpty">No column changed.</p>
      ) : (
        <ul className="jp-DbtWorkbench-gitColumnList">
          {columns.added.map(name => (
            <li key={`+${name}`} data-change="added" title="Added">
              + <code>{name}</code>
            </li>
          ))}
          {columns.removed.map(name => (
            <li key={`-${name}`} data-change="removed" title="Removed">
              − <code>{name}</code>
            </li>
          ))}
          {columns.changed.map(change => (
            <li
              key={`~${change.name}`}
              data-change="changed"
              title={`Before: ${change.before}\nAfter: ${change.after}`}
            >
              ~ <code>{change.name}</code>
            </li>
          ))}
        </ul>
      )}
      {columns.downstream.length > 0 ? (
        <div className="jp-DbtWorkbench-gitColumnDownstream">
          <span>Downstream columns:</span>
          <ul>
            {columns.downstream.map(target => (
              <li key={`${target.unique_id}.${target.column}`}>
                <a
                  href="#"
                  data-unique-id={target.unique_id}
                  title={target.unique_id}
                  onClick={event => {
                    event.preventDefault();
                    props.onOpenNode(target.unique_id);
                  }}
                >
                  {target.name}.{target.column}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
