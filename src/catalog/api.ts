/**
 * Calls to the entity-page and dashboard routes.
 */
import { requestAPI } from '../request';
import type { INodeRunHistory, IProjectHealth, ISchemaHistory } from './types';

/** GET `nodes/<unique_id>/history`. */
export function fetchNodeHistory(
  project: string,
  uniqueId: string,
  limit = 50
): Promise<INodeRunHistory> {
  return requestAPI<INodeRunHistory>(
    `nodes/${encodeURIComponent(uniqueId)}/history`,
    {},
    { project, limit }
  );
}

/** GET `nodes/<unique_id>/schema-history`. */
export function fetchSchemaHistory(
  project: string,
  uniqueId: string
): Promise<ISchemaHistory> {
  return requestAPI<ISchemaHistory>(
    `nodes/${encodeURIComponent(uniqueId)}/schema-history`,
    {},
    { project }
  );
}

/** GET `dashboard`. */
export function fetchDashboard(project: string): Promise<IProjectHealth> {
  return requestAPI<IProjectHealth>('dashboard', {}, { project });
}
