import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_NAMESPACE } from './tokens';

/**
 * Call the labtrack REST API and return its JSON body.
 *
 * A network failure throws `ServerConnection.NetworkError`; a non-2xx answer throws
 * `ServerConnection.ResponseError` whose message is the server's `message` field.
 *
 * @example
 * const status = await requestAPI<IStatus>('status');
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  const body = await response.text();
  const data = parseBody(body);
  if (!response.ok) {
    throw new ServerConnection.ResponseError(
      response,
      errorMessage(data, response)
    );
  }
  return data as T;
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
