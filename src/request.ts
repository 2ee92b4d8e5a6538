import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** The URL namespace of the server extension's REST API. */
export const API_NAMESPACE = 'dbt-workbench/api';

/** A scalar query value; `null` and `undefined` values are left out. */
export type QueryScalar = string | number | boolean | null | undefined;

/** Query parameters; an array value repeats the parameter once per item. */
export type QueryParams = Record<string, QueryScalar | readonly QueryScalar[]>;

/** The `reason` given to failures that never reached the server. */
export const NETWORK_ERROR_REASON = 'network_error';

/**
 * The one error every failed API call raises.
 *
 * `status` is the HTTP status (0 when the server could not be reached),
 * `reason` the server's stable machine code and `message` a sentence meant
 * for the user.
 */
export class WorkbenchAPIError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string
  ) {
    super(message);
    this.name = 'WorkbenchAPIError';
  }

  /** Whether this error has the given reason (and status, when given). */
  is(reason: string, status?: number): boolean {
    return (
      this.reason === reason && (status === undefined || this.status === status)
    );
  }
}

/** Encode query parameters, repeating array values; '' when there are none. */
export function encodeQuery(params?: QueryParams): string {
  if (!params) {
    return '';
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item !== null && item !== undefined) {
        search.append(key, String(item));
      }
    }
  }
  const query = search.toString();
  return query ? `?${query}` : '';
}

/**
 * Call the dbt Workbench API.
 *
 * @param endPoint the route under `dbt-workbench/api/`, e.g. `nodes`
 * @param init the fetch options (method, body...)
 * @param params query parameters
 * @param settings the server connection; the page's own by default
 * @returns the decoded JSON body
 * @throws WorkbenchAPIError on any network or HTTP failure
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  params?: QueryParams,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url =
    URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint) +
    encodeQuery(params);

  const response = await send(url, init, settings);
  const text = await response.text();
  if (!response.ok) {
    throw errorFromResponse(response, text);
  }
  if (!text) {
    return undefined as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new WorkbenchAPIError(
      `The server sent an answer to ${endPoint} that is not JSON.`,
      response.status,
      'invalid_response'
    );
  }
}

/** Send a request; a failure to reach the server becomes a WorkbenchAPIError. */
async function send(
  url: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<Response> {
  try {
    return await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WorkbenchAPIError(
      `Cannot reach the Jupyter server (${detail}). Check that it is still running.`,
      0,
      NETWORK_ERROR_REASON
    );
  }
}

/**
 * Fetch a file the API offers as a download (an export). It goes through
 * `ServerConnection.makeRequest` so the page's token and XSRF handling apply,
 * which a plain link could not give.
 *
 * @param fallbackName the file name when the answer suggests none
 * @returns the file and the name the server suggests
 * @throws WorkbenchAPIError on any network or HTTP failure
 */
export async function downloadAPI(
  endPoint: string,
  params: QueryParams,
  fallbackName: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<{ blob: Blob; name: string }> {
  const url =
    URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint) +
    encodeQuery(params);
  const response = await send(url, {}, settings);
  if (!response.ok) {
    throw errorFromResponse(response, await response.text());
  }
  return {
    blob: await response.blob(),
    name: attachmentName(
      response.headers.get('Content-Disposition'),
      fallbackName
    )
  };
}

/** The file name a download answer suggests, or `fallback`. */
export function attachmentName(
  disposition: string | null,
  fallback: string
): string {
  if (!disposition) {
    return fallback;
  }
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed encoded name: the plain one below may still be there.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** Hand a blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started from the click; give the browser a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Build the error for a failed response from its `{message, reason}` body. */
function errorFromResponse(
  response: Response,
  text: string
): WorkbenchAPIError {
  let message = '';
  let reason = '';
  try {
    const body = JSON.parse(text) as Partial<Record<string, unknown>>;
    message = typeof body.message === 'string' ? body.message : '';
    reason = typeof body.reason === 'string' ? body.reason : '';
  } catch {
    // Proxies and Jupyter's own pages may answer with HTML: fall back below.
  }
  if (!message) {
    const statusText =
      response.statusText || httpFallbackReason(response.status);
    message = `The dbt Workbench API failed: ${response.status} ${statusText}.`;
  }
  return new WorkbenchAPIError(
    message,
    response.status,
    reason || 'http_error'
  );
}

function httpFallbackReason(status: number): string {
  if (status === 403) {
    return 'Forbidden';
  }
  if (status === 404) {
    return 'Not Found';
  }
  return 'Error';
}
