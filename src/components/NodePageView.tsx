import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useEffect, useState } from 'react';

import { fetchNode } from '../api';
import { errorMessage, showError } from '../notify';
import { WorkbenchModel } from '../model/workbench';
import type { INodeDetail, IProjectSummary } from '../tokens';
import { CatalogStats } from './CatalogStats';
import { ColumnsTable } from './ColumnsTable';
import { ContractFacts } from './ContractFacts';
import { MacroArguments } from './MacroArguments';
import { NodeDescription } from './NodeDescription';
import { NodeHeader } from './NodeHeader';
import { Exposure, Freshness, LastRun } from './NodeFacts';
import { NodeLinks } from './NodeLinks';
import { NodeRunHistory } from './NodeRunHistory';
import { SchemaHistory } from './SchemaHistory';
import { Section } from './Section';
import { SemanticDefinition } from './SemanticDefinition';
import { Spinner } from './Spinner';
import { SqlBlock } from './SqlBlock';
import { TestsTable } from './TestsTable';

/** Kinds dbt builds or runs, so the workbench keeps their results per run. */
const RUN_KINDS = ['model', 'seed', 'snapshot', 'test', 'unit_test'];
/** Kinds that are relations in the warehouse, so the catalog describes them. */
const RELATION_KINDS = ['model', 'seed', 'snapshot', 'source'];

/** Props of {@link NodePageView}. */
export interface INodePageViewProps {
  project: string;
  uniqueId: string;
  model: WorkbenchModel;
  rendermime: IRenderMimeRegistry;
  languages: IEditorLanguageRegistry | null;
  onLoaded: (node: INodeDetail) => void;
  onOpenNode: (uniqueId: string) => void;
  onOpenFile: (node: INodeDetail) => void;
}

type Load =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; node: INodeDetail };

/** A project in a list, or null when it is not there. */
function projectOf(
  projects: readonly IProjectSummary[],
  id: string
): IProjectSummary | null {
  return projects.find(p => p.id === id) ?? null;
}

/**
 * Everything the artifacts and the workbench's history say about one node.
 * The page fetches the node again when the project's artifacts change.
 */
export function NodePageView(props: INodePageViewProps): JSX.Element {
  const { project, uniqueId, model, onLoaded } = props;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [summary, setSummary] = useState(() =>
    projectOf(model.projects, project)
  );
  const version = summary?.version ?? null;

  useEffect(() => {
    const onProjects = (_: unknown, projects: readonly IProjectSummary[]) =>
      setSummary(projectOf(projects, project));
    model.projectsChanged.connect(onProjects);
    return () => {
      model.projectsChanged.disconnect(onProjects);
    };
  }, [model, project]);

  useEffect(() => {
    let cancelled = false;
    fetchNode(project, uniqueId).then(
      node => {
        if (!cancelled) {
          setLoad({ state: 'ready', node });
          onLoaded(node);
        }
      },
      error => {
        if (!cancelled) {
          showError(error);
          setLoad({ state: 'error', message: errorMessage(error) });
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [project, uniqueId, version, onLoaded]);

  if (load.state === 'loading') {
    return <Spinner label={`Loading ${uniqueId}…`} />;
  }
  if (load.state === 'error') {
    return (
      <div className="jp-DbtWorkbench-error" role="alert">
        <h3>Cannot show {uniqueId}</h3>
        <p>{load.message}</p>
      </div>
    );
  }
  const { node } = load;
  const kind = node.resource_type;
  const failing = node.tests.filter(test =>
    ['fail', 'error', 'warn'].includes(test.status ?? '')
  ).length;
  return (
    <>
      <NodeHeader node={node} onOpenFile={() => props.onOpenFile(node)} />
      <Section title="Description">
        <NodeDescription
          description={node.description}
          raw={node.description_raw}
          docBlocks={node.doc_blocks}
          rendermime={props.rendermime}
        />
      </Section>
      {kind === 'source' ? (
        <Section title="Freshness">
          <Freshness
            freshness={node.freshness}
            loadedAtField={node.loaded_at_field}
            criteria={node.freshness_criteria}
          />
        </Section>
      ) : null}
      {node.exposure ? (
        <Section title="Exposure">
          <Exposure exposure={node.exposure} />
        </Section>
      ) : null}
      {node.macro ? (
        <Section title="Arguments">
          <MacroArguments arguments={node.macro.arguments} />
        </Section>
      ) : null}
      {node.semantic ? (
        <Section title="Definition">
          <SemanticDefinition semantic={node.semantic} />
        </Section>
      ) : null}
      {node.last_run ? (
        <Section title="Last run">
          <LastRun run={node.last_run} />
        </Section>
      ) : null}
      {kind !== 'macro' ? (
        <Section title={`Columns (${node.columns.length})`}>
          <ColumnsTable columns={node.columns} rendermime={props.rendermime} />
        </Section>
      ) : null}
      {node.contract || node.constraints.length ? (
        <Section title="Contract and constraints">
          <ContractFacts
            contract={node.contract}
            constraints={node.constraints}
          />
        </Section>
      ) : null}
      {kind !== 'macro' ? (
        <Section
          title={`Tests (${node.tests.length}${failing ? `, ${failing} not passing` : ''})`}
        >
          <TestsTable tests={node.tests} />
        </Section>
      ) : null}
      {RELATION_KINDS.includes(kind) ? (
        <Section title="Warehouse statistics">
          <CatalogStats
            catalog={node.catalog}
            adapter={summary?.adapter_type ?? null}
          />
        </Section>
      ) : null}
      {RUN_KINDS.includes(kind) ? (
        <Section
          title="Run history"
          className="jp-DbtWorkbench-runHistorySection"
        >
          <NodeRunHistory
            project={project}
            uniqueId={uniqueId}
            version={version}
          />
        </Section>
      ) : null}
      {RELATION_KINDS.includes(kind) ? (
        <Section title="Schema history">
          <SchemaHistory
            project={project}
            uniqueId={uniqueId}
            version={version}
          />
        </Section>
      ) : null}
      <div className="jp-DbtWorkbench-lineageLists">
        <Section
          title={`${kind === 'macro' ? 'Calls' : 'Upstream'} (${node.depends_on.length})`}
        >
          <NodeLinks
            direction="upstream"
            nodes={node.depends_on}
            onOpen={props.onOpenNode}
          />
        </Section>
        <Section
          title={`${kind === 'macro' ? 'Called by' : 'Downstream'} (${node.referenced_by.length})`}
        >
          <NodeLinks
            direction="downstream"
            nodes={node.referenced_by}
            onOpen={props.onOpenNode}
          />
        </Section>
      </div>
      {node.raw_code ? (
        <Section
          title={
            kind === 'macro'
              ? 'Macro'
              : node.language === 'python'
                ? 'Code'
                : 'Raw SQL'
          }
        >
          <SqlBlock
            kind="raw"
            code={node.raw_code}
            language={node.language}
            languages={props.languages}
          />
        </Section>
      ) : null}
      {node.compiled_code ? (
        <Section title="Compiled SQL">
          <SqlBlock
            kind="compiled"
            code={node.compiled_code}
            language={node.language}
            languages={props.languages}
          />
        </Section>
      ) : null}
    </>
  );
}
