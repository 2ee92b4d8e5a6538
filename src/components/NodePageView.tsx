import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useEffect, useState } from 'react';

import { fetchNode } from '../api';
import { errorMessage, showError } from '../notify';
import { WorkbenchModel } from '../model/workbench';
import type { INodeDetail, IProjectSummary } from '../tokens';
import { ColumnsTable } from './ColumnsTable';
import { Markdown } from './Markdown';
import { NodeHeader } from './NodeHeader';
import { Exposure, Freshness, LastRun } from './NodeFacts';
import { NodeLinks } from './NodeLinks';
import { Spinner } from './Spinner';
import { SqlBlock } from './SqlBlock';
import { TestsTable } from './TestsTable';

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

/** The version of a project in a list, or null when it is not there. */
function versionOf(
  projects: readonly IProjectSummary[],
  id: string
): number | null {
  return projects.find(p => p.id === id)?.version ?? null;
}

/**
 * Everything the artifacts say about one node. The page fetches the node
 * again when the project's artifacts change.
 */
export function NodePageView(props: INodePageViewProps): JSX.Element {
  const { project, uniqueId, model, onLoaded } = props;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [version, setVersion] = useState(() =>
    versionOf(model.projects, project)
  );

  useEffect(() => {
    const onProjects = (_: unknown, projects: readonly IProjectSummary[]) =>
      setVersion(versionOf(projects, project));
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
  return (
    <>
      <NodeHeader node={node} onOpenFile={() => props.onOpenFile(node)} />
      <Section title="Description">
        {node.description ? (
          <Markdown
            className="jp-DbtWorkbench-description"
            source={node.description}
            rendermime={props.rendermime}
          />
        ) : (
          <p className="jp-DbtWorkbench-description jp-DbtWorkbench-muted">
            No description.
          </p>
        )}
      </Section>
      {node.resource_type === 'source' ? (
        <Section title="Freshness">
          <Freshness
            freshness={node.freshness}
            loadedAtField={node.loaded_at_field}
          />
        </Section>
      ) : null}
      {node.exposure ? (
        <Section title="Exposure">
          <Exposure exposure={node.exposure} />
        </Section>
      ) : null}
      {node.last_run ? (
        <Section title="Last run">
          <LastRun run={node.last_run} />
        </Section>
      ) : null}
      <Section title={`Columns (${node.columns.length})`}>
        <ColumnsTable columns={node.columns} rendermime={props.rendermime} />
      </Section>
      <Section title={`Tests (${node.tests.length})`}>
        <TestsTable tests={node.tests} />
      </Section>
      <div className="jp-DbtWorkbench-lineageLists">
        <Section title={`Upstream (${node.depends_on.length})`}>
          <NodeLinks
            direction="upstream"
            nodes={node.depends_on}
            onOpen={props.onOpenNode}
          />
        </Section>
        <Section title={`Downstream (${node.referenced_by.length})`}>
          <NodeLinks
            direction="downstream"
            nodes={node.referenced_by}
            onOpen={props.onOpenNode}
          />
        </Section>
      </div>
      {node.raw_code ? (
        <Section title={node.language === 'python' ? 'Code' : 'Raw SQL'}>
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

function Section(props: {
  title: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <section className="jp-DbtWorkbench-section">
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
