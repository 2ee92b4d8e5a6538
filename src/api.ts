/**
 * Typed calls to each route of the dbt Workbench REST API.
 */
import { requestAPI } from './request';
import type {
  IArtifactStatus,
  IHealth,
  INodeDetail,
  INodePage,
  INodeSummary,
  IProjectList,
  ISnapshotList
} from './tokens';

/** The largest page the `nodes` route serves. */
export const MAX_PAGE = 5000;

/** GET `health`. */
export function fetchHealth(): Promise<IHealth> {
  return requestAPI<IHealth>('health');
}

/** GET `projects`. */
export function fetchProjects(): Promise<IProjectList> {
  return requestAPI<IProjectList>('projects');
}

/** POST `projects/rescan`: look for projects again. */
export function rescanProjects(): Promise<IProjectList> {
  return requestAPI<IProjectList>('projects/rescan', { method: 'POST' });
}

/**
 * Every node of a project, paging through `total` with the largest pages
 * the server allows.
 */
export async function fetchAllNodes(
  project: string,
  includeTests: boolean
): Promise<INodeSummary[]> {
  const nodes: INodeSummary[] = [];
  let total = Infinity;
  while (nodes.length < total) {
    const page = await requestAPI<INodePage>(
      'nodes',
      {},
      {
        project,
        include_tests: includeTests ? 'true' : undefined,
        offset: nodes.length,
        limit: MAX_PAGE
      }
    );
    nodes.push(...page.items);
    total = page.total;
    if (page.items.length === 0) {
      break;
    }
  }
  return nodes;
}

/** GET `nodes/<unique_id>`. */
export function fetchNode(
  project: string,
  uniqueId: string
): Promise<INodeDetail> {
  return requestAPI<INodeDetail>(
    `nodes/${encodeURIComponent(uniqueId)}`,
    {},
    {
      project
    }
  );
}

/** GET `artifacts`. */
export function fetchArtifacts(project: string): Promise<IArtifactStatus> {
  return requestAPI<IArtifactStatus>('artifacts', {}, { project });
}

/** POST `artifacts/reload`: reload a project's artifacts now. */
export function reloadArtifacts(project: string): Promise<IArtifactStatus> {
  return requestAPI<IArtifactStatus>(
    'artifacts/reload',
    { method: 'POST' },
    { project }
  );
}

/** GET `artifacts/snapshots`. */
export function fetchSnapshots(project: string): Promise<ISnapshotList> {
  return requestAPI<ISnapshotList>('artifacts/snapshots', {}, { project });
}
