/**
 * Stand-ins for JupyterLab's ES-module packages, which jest (CommonJS) cannot load.
 *
 * In a spec: `jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);`
 */

class ResponseError extends Error {
  constructor(
    public response: Response,
    message: string
  ) {
    super(message);
  }
}

class NetworkError extends Error {
  constructor(original: TypeError) {
    super(original.message);
  }
}

export const services = {
  ServerConnection: {
    makeSettings: () => ({ baseUrl: '/base/' }),
    makeRequest: jest.fn(),
    ResponseError,
    NetworkError
  }
};

export const coreutils = {
  URLExt: {
    join: (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/')
  }
};
