import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_NAMESPACE } from './tokens';

/** Query parameters; undefined and null values are left out. */
export type Query = {
  [key: string]: string | number | boolean | null | undefined;
};

/**
 * An error answer of the labtrack API: the server's message, and for a bad filter the 0-based
 * `position` of the mistake.
 */
export class APIError extends ServerConnection.ResponseError {
  constructor(response: Response, message: string, position: number | null) {
    super(response, message);
    this.position = position;
  }

  readonly position: number | null;
}

/**
 * The address of an API route, with its query string.
 *
 * @example
 * apiURL('runs', { filter: "params.model = 'rf'" }, settings);
 */
export function apiURL(
  endPoint: string,
  query: Query = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): string {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  const search = queryString(query);
  return search ? `${url}?${search}` : url;
}

/** `a=1&b=x%20y`, leaving out undefined and null values. */
export function queryString(query: Query): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`
    )
    .join('&');
}

/**
 * Call the labtrack REST API and return its JSON body.
 *
 * A network failure throws `ServerConnection.NetworkError`; a non-2xx answer throws `APIError`
 * (a `ServerConnection.ResponseError`) whose message is the server's `message` field.
 *
 * @example
 * const status = await requestAPI<IStatus>('status');
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  query: Query = {}
): Promise<T> {
  const response = await send(
    apiURL(endPoint, query, settings),
    init,
    settings
  );
  const data = parseBody(await response.text());
  if (!response.ok) {
    throw new APIError(
      response,
      errorMessage(data, response),
      errorPosition(data)
    );
  }
  return data as T;
}

/** A file from the API (an artifact, an export) with the name the server gave it. */
export interface IDownloaded {
  blob: Blob;
  filename: string | null;
}

/**
 * Fetch a file from the API with the session's credentials (token header, cookies, XSRF), so
 * that it works wherever the Jupyter server asks for a token.
 */
export async function requestBlob(
  endPoint: string,
  query: Query = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<IDownloaded> {
  const response = await send(apiURL(endPoint, query, settings), {}, settings);
  if (!response.ok) {
    const data = parseBody(await response.text());
    throw new APIError(
      response,
      errorMessage(data, response),
      errorPosition(data)
    );
  }
  return {
    blob: await response.blob(),
    filename: attachmentName(response.headers.get('Content-Disposition'))
  };
}

/** The file name of a `Content-Disposition` header, RFC 5987 form first. */
export function attachmentName(header: string | null): string | null {
  if (!header) {
    return null;
  }
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  if (!plain) {
    return null;
  }
  return (plain[2] ?? plain[1]).trim();
}

async function send(
  url: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<Response> {
  try {
    return await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
}

/** JSON when the body is JSON, else the raw text. */
function parseBody(body: string): unknown {
  if (body.length === 0) {
    return null;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** The server's own words when it gave any, else the HTTP status line. */
function errorMessage(data: unknown, response: Response): string {
  if (typeof data === 'object' && data !== null && 'message' in data) {
    const message = (data as { message: unknown }).message;
    if (typeof message === 'string' && message.length > 0) {
      return message;
    }
  }
  if (typeof data === 'string' && data.length > 0) {
    return data;
  }
  return `${response.status} ${response.statusText}`.trim();
}

function errorPosition(data: unknown): number | null {
  if (typeof data === 'object' && data !== null && 'position' in data) {
    const position = (data as { position: unknown }).position;
    if (typeof position === 'number') {
      return position;
    }
  }
  return null;
}
