import { Button, InputGroup } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

import {
  acceptCompletion,
  completeFilter,
  ICompletionResult,
  IFilterVocabulary
} from '../completion';
import { IFilterError } from '../model';

export interface IFilterBoxProps {
  /** The filter in force. */
  filter: string;
  error: IFilterError | null;
  busy: boolean;
  onApply: (filter: string) => void;
  /** Field names and hypothesis ids to complete; none: no completion. */
  vocabulary?: IFilterVocabulary;
}

const HELP =
  "Filter runs, then press Enter. Examples:\n  metrics.acc > 0.9 and params.model = 'rf'\n" +
  "  attributes.status = 'failed' or tags.stage IN ('a', 'b')\n  params.name LIKE 'base%'\n" +
  "  hypothesis = 'H1'\nType a few letters for the store's field names; ↓ and Tab pick one.";

/**
 * The filter-language box: applies on Enter, clears on Escape, completes field names and
 * hypothesis ids as the user types, and shows the server's error inline.
 */
export function FilterBox(props: IFilterBoxProps): JSX.Element {
  const { filter, error, busy, onApply, vocabulary } = props;
  const [text, setText] = useState(filter);
  const [completion, setCompletion] = useState<ICompletionResult | null>(null);
  // The highlighted suggestion; -1 until an arrow key picks one (Enter then applies the filter).
  const [active, setActive] = useState(-1);
  const root = useRef<HTMLFormElement>(null);
  useEffect(() => setText(filter), [filter]);

  const input = (): HTMLInputElement | null =>
    root.current?.querySelector('input') ?? null;
  const suggest = (value: string, caret: number): void => {
    setCompletion(vocabulary ? completeFilter(value, caret, vocabulary) : null);
    setActive(-1);
  };
  const accept = (index: number): void => {
    if (completion === null) {
      return;
    }
    const next = acceptCompletion(text, completion, completion.items[index]);
    setText(next.text);
    setCompletion(null);
    requestAnimationFrame(() => {
      const element = input();
      element?.focus();
      element?.setSelectionRange(next.caret, next.caret);
    });
  };
  const clear = (): void => {
    setText('');
    setCompletion(null);
    onApply('');
  };
  const listId = 'labtrack-filter-completions';
  const open = completion !== null && completion.items.length > 0;

  return (
    <form
      className="jp-labtrack-FilterBox"
      role="search"
      ref={root}
      onSubmit={event => {
        event.preventDefault();
        setCompletion(null);
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
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          spellCheck={false}
          autoComplete="off"
          onChange={event => {
            const element = event.currentTarget;
            setText(element.value);
            suggest(
              element.value,
              element.selectionStart ?? element.value.length
            );
          }}
          onBlur={() => setCompletion(null)}
          onKeyDown={event => {
            if (
              open &&
              (event.key === 'ArrowDown' || event.key === 'ArrowUp')
            ) {
              event.preventDefault();
              const count = completion.items.length;
              const from = active < 0 && event.key === 'ArrowUp' ? 0 : active;
              setActive(
                (from + (event.key === 'ArrowDown' ? 1 : count - 1)) % count
              );
            } else if (
              open &&
              (event.key === 'Tab' || (event.key === 'Enter' && active >= 0))
            ) {
              event.preventDefault();
              accept(Math.max(0, active));
            } else if (event.key === 'Escape') {
              if (open) {
                setCompletion(null);
              } else {
                clear();
              }
            } else if (event.key === ' ' && event.ctrlKey) {
              event.preventDefault();
              const element = event.currentTarget;
              suggest(
                element.value,
                element.selectionStart ?? element.value.length
              );
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
      {open && (
        <ul
          className="jp-labtrack-FilterBox-completions"
          role="listbox"
          id={listId}
        >
          {completion.items.map((item, index) => (
            <li
              key={item.text}
              role="option"
              aria-selected={index === active}
              className={`jp-labtrack-FilterBox-completion${index === active ? ' jp-mod-active' : ''}`}
              title={item.detail}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={event => {
                event.preventDefault();
                accept(index);
              }}
            >
              <span className="jp-labtrack-FilterBox-completionLabel">
                {item.label}
              </span>
              <span className="jp-labtrack-FilterBox-completionDetail">
                {item.detail}
              </span>
            </li>
          ))}
        </ul>
      )}
      {busy && <div className="jp-labtrack-FilterBox-busy">Filtering…</div>}
      {error !== null && (
        <pre className="jp-labtrack-FilterError" role="alert">
          {error.message}
        </pre>
      )}
    </form>
  );
}
