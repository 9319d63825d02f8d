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

/** Plain HTML stand-ins for the @jupyterlab/ui-components the runs tab uses. */
export const uiComponents = (() => {
  // Required lazily so that specs without React do not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const React = require('react') as typeof import('react');
  type Props = { [key: string]: unknown; children?: unknown };
  const strip = ({ small, minimal, ...rest }: Props): Props => {
    void small;
    void minimal;
    return rest;
  };
  return {
    Button: (props: Props) =>
      React.createElement('button', { type: 'button', ...strip(props) }),
    InputGroup: (props: Props) => React.createElement('input', strip(props)),
    HTMLSelect: ({ options, ...props }: Props) =>
      React.createElement(
        'select',
        strip(props),
        (options as { value: string; label: string }[]).map(option =>
          React.createElement(
            'option',
            { key: option.value, value: option.value },
            option.label
          )
        )
      )
  };
})();
