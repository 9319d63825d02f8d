import React from 'react';

import { formatValue } from '../format';
import { JSONValue } from '../tokens';

export interface IKeyValueTableProps {
  values: { [key: string]: JSONValue } | null | undefined;
  empty: string;
  className?: string;
}

/** Names and values (params, tags), one row each, in name order; values as plain text. */
export function KeyValueTable(props: IKeyValueTableProps): JSX.Element {
  const { values, empty, className } = props;
  const entries = Object.entries(values ?? {}).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  if (entries.length === 0) {
    return <p className="jp-labtrack-muted">{empty}</p>;
  }
  return (
    <table
      className={`jp-labtrack-Table jp-labtrack-KeyValueTable ${className ?? ''}`}
    >
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} data-key={key}>
            <th scope="row">{key}</th>
            <td>{formatValue(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
