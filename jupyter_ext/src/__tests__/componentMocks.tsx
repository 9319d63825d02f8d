/**
 * Stand-ins for the JupyterLab ES-module packages the compare view imports (jest cannot load
 * them): plain elements with the same props.
 *
 * In a spec: `jest.mock('@jupyterlab/ui-components', () => jest.requireActual('./componentMocks').uiComponents);`
 */

import React from 'react';

interface IOption {
  value: string;
  label: string;
}

export const uiComponents = {
  Button: (
    props: React.ButtonHTMLAttributes<HTMLButtonElement> & {
      small?: boolean;
      minimal?: boolean;
    }
  ) => {
    const { small, minimal, ...rest } = props;
    return (
      <button
        type="button"
        data-small={small ? 'true' : undefined}
        data-minimal={minimal ? 'true' : undefined}
        {...rest}
      />
    );
  },
  HTMLSelect: (
    props: React.SelectHTMLAttributes<HTMLSelectElement> & {
      options: (string | IOption)[];
    }
  ) => {
    const { options, ...rest } = props;
    return (
      <select {...rest}>
        {options.map(o =>
          typeof o === 'string' ? (
            <option key={o} value={o}>
              {o}
            </option>
          ) : (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          )
        )}
      </select>
    );
  }
};

export const apputils = {
  Clipboard: { copyToSystem: jest.fn() },
  Notification: { error: jest.fn(), success: jest.fn(), warning: jest.fn() }
};
