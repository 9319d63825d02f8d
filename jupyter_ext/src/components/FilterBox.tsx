import { Button, InputGroup } from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import { IFilterError } from '../model';

export interface IFilterBoxProps {
  /** The filter in force. */
  filter: string;
  error: IFilterError | null;
  busy: boolean;
  onApply: (filter: string) => void;
}

const HELP =
  "Filter runs, then press Enter. Examples:\n  metrics.acc > 0.9 and params.model = 'rf'\n" +
  "  attributes.status = 'failed' or tags.stage IN ('a', 'b')\n  params.name LIKE 'base%'";

/** The filter-language box: applies on Enter, clears on Escape, shows the server's error inline. */
export function FilterBox(props: IFilterBoxProps): JSX.Element {
  const { filter, error, busy, onApply } = props;
  const [text, setText] = useState(filter);
  useEffect(() => setText(filter), [filter]);
  const clear = (): void => {
    setText('');
    onApply('');
  };
  return (
    <form
      className="jp-labtrack-FilterBox"
      role="search"
      onSubmit={event => {
        event.preventDefault();
        onApply(text);
      }}
    >
      <div className="jp-labtrack-FilterBox-row">
        <InputGroup
          className="jp-labtrack-FilterBox-input"
          type="text"
          value={text}
          placeholder="Filter: metrics.acc > 0.9 and params.model = 'rf'"
          title={HELP}
          aria-label="Filter runs"
          aria-invalid={error !== null}
          spellCheck={false}
          autoComplete="off"
          onChange={event => setText(event.currentTarget.value)}
          onKeyDown={event => {
            if (event.key === 'Escape') {
              clear();
            }
          }}
        />
        {(text || filter) && (
          <Button
            minimal
            small
            type="button"
            className="jp-labtrack-FilterBox-clear"
            title="Clear the filter"
            onClick={clear}
          >
            ×
          </Button>
        )}
      </div>
      {busy && <div className="jp-labtrack-FilterBox-busy">Filtering…</div>}
      {error !== null && (
        <pre className="jp-labtrack-FilterError" role="alert">
          {error.message}
        </pre>
      )}
    </form>
  );
}
