import { useId, useRef, useState } from 'react';
import { EXPR_CHOICES, EXPR_INFO, type ExprChoice } from './indicators.ts';

export interface IndicatorPickerProps {
  label: string;
  value: ExprChoice | null;
  onPick: (choice: ExprChoice) => void;
}

/** A button that opens a searchable list of every expression kind; Enter in the search box takes the first match. */
export function IndicatorPicker({ label, value, onPick }: IndicatorPickerProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const trigger = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const q = query.trim().toLowerCase();
  const matches = EXPR_CHOICES.filter(
    (c) => !q || c.toLowerCase().includes(q) || EXPR_INFO[c].label.toLowerCase().includes(q) || EXPR_INFO[c].help.includes(q),
  );
  const close = () => {
    setOpen(false);
    setQuery('');
    trigger.current?.focus();
  };
  const pick = (c: ExprChoice) => {
    onPick(c);
    close();
  };
  return (
    <span className="picker">
      <button
        ref={trigger}
        type="button"
        className="picker-trigger"
        aria-label={`${label}: ${value ? EXPR_INFO[value].label : 'unrecognized'}`}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {value ? EXPR_INFO[value].label : '?'} ▾
      </button>
      {open && (
        <div className="picker-pop" id={listId} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), close())}>
          <input
            type="search"
            aria-label="Search indicators"
            placeholder="Search indicators"
            autoFocus
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0]) {
                e.preventDefault();
                pick(matches[0]);
              }
            }}
          />
          <ul role="list">
            {matches.map((c) => (
              <li key={c}>
                <button type="button" aria-pressed={c === value} onClick={() => pick(c)}>
                  <b>{EXPR_INFO[c].label}</b> <span className="muted">{EXPR_INFO[c].help}</span>
                </button>
              </li>
            ))}
            {matches.length === 0 && <li className="muted">No match</li>}
          </ul>
        </div>
      )}
    </span>
  );
}
