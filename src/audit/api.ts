/**
 * The audit log's REST calls.
 */
import { ServerConnection } from '@jupyterlab/services';

import { downloadAPI, QueryParams, requestAPI } from '../request';
import type { AuditExportFormat, IAuditFilters, IAuditPage } from './types';

/** The filters as query parameters, leaving out blank ones. */
export function filterParams(filters: IAuditFilters): QueryParams {
  const params: QueryParams = {};
  for (const [key, value] of Object.entries(filters)) {
    const text = typeof value === 'string' ? value.trim() : '';
    if (text) {
      params[key] = text;
    }
  }
  return params;
}

/** One page of the log, newest first. */
export function fetchAudit(
  filters: IAuditFilters,
  offset: number,
  limit: number,
  settings?: ServerConnection.ISettings
): Promise<IAuditPage> {
  return requestAPI<IAuditPage>(
    'audit',
    {},
    { ...filterParams(filters), offset, limit },
    settings
  );
}

/** The entries matching the filters as a file. */
export function fetchAuditExport(
  filters: IAuditFilters,
  format: AuditExportFormat,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<{ blob: Blob; name: string }> {
  return downloadAPI(
    'audit/export',
    { ...filterParams(filters), format },
    `audit.${format}`,
    settings
  );
}
