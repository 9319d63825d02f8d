import React from 'react';

import { formatValue } from '../format';
import { JSONValue } from '../tokens';

export interface IEnvironmentViewProps {
  environment: { [key: string]: JSONValue } | null;
}

const isObject = (value: JSONValue): value is { [key: string]: JSONValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The environment a run ran in: Python, host, git; package versions folded away. */
export function EnvironmentView(props: IEnvironmentViewProps): JSX.Element {
  const entries = Object.entries(props.environment ?? {});
  if (entries.length === 0) {
    return <p className="jp-labtrack-muted">No environment recorded.</p>;
  }
  const simple = entries.filter(([, value]) => !isObject(value));
  const nested = entries.filter(([, value]) => isObject(value)) as [
    string,
    { [key: string]: JSONValue }
  ][];
  return (
    <div className="jp-labtrack-EnvironmentView">
      <table className="jp-labtrack-Table jp-labtrack-KeyValueTable">
        <tbody>
          {simple.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>{formatValue(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nested.map(([key, value]) => (
        <details key={key} className="jp-labtrack-EnvironmentView-group">
          <summary>
            {key} ({Object.keys(value).length})
          </summary>
          <table className="jp-labtrack-Table jp-labtrack-KeyValueTable">
            <tbody>
              {Object.entries(value)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([name, inner]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{formatValue(inner)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </details>
      ))}
    </div>
  );
}
