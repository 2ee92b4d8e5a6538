/**
 * The audit log's REST calls.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  API_NAMESPACE,
  encodeQuery,
  QueryParams,
  requestAPI,
  WorkbenchAPIError
} from '../request';
import { attachmentName } from '../sql/api';
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

/**
 * The entries matching the filters as a file. It goes through
 * `ServerConnection.makeRequest` so the page's token and XSRF handling apply,
 * which a plain link could not give.
 */
export async function fetchAuditExport(
  filters: IAuditFilters,
  format: AuditExportFormat,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<{ blob: Blob; name: string }> {
  const url =
    URLExt.join(settings.baseUrl, API_NAMESPACE, 'audit', 'export') +
    encodeQuery({ ...filterParams(filters), format });
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WorkbenchAPIError(
      `Cannot reach the Jupyter server (${detail}).`,
      0,
      'network_error'
    );
  }
  if (!response.ok) {
    let message = `The export failed: ${response.status}.`;
    let reason = 'http_error';
    try {
      const body = (await response.json()) as {
        message?: string;
        reason?: string;
      };
      message = body.message || message;
      reason = body.reason || reason;
    } catch {
      // Not JSON: keep the generic sentence.
    }
    throw new WorkbenchAPIError(message, response.status, reason);
  }
  return {
    blob: await response.blob(),
    name: attachmentName(
      response.headers.get('Content-Disposition'),
      `audit.${format}`
    )
  };
}
