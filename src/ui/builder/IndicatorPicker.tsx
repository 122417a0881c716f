import { useId, useRef, useState } from 'react';
import type { StoredSeries } from './BuilderContext.ts';
import { EXPR_CHOICES, EXPR_INFO, type ExprChoice } from './indicators.ts';
import { seriesHelp } from './stored-series.ts';

export interface IndicatorPickerProps {
  label: string;
  value: ExprChoice | null;
  onPick: (choice: ExprChoice) => void;
  /** Stored external series, listed after the kinds by name (so `nonfarm_change > 0` needs no typing). */
  series?: readonly StoredSeries[];
  /** The series the operand reads now, if it is one (marked as chosen). */
  seriesName?: string;
  onPickSeries?: (s: StoredSeries) => void;
}

type Match = { kind: 'choice'; choice: ExprChoice } | { kind: 'series'; series: StoredSeries };

/**
 * A button that opens a searchable list of every expression kind and every stored series; Enter in the search
 * box takes the first match.
 */
export function IndicatorPicker({ label, value, onPick, series = [], seriesName, onPickSeries }: IndicatorPickerProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const trigger = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const q = query.trim().toLowerCase();
  const matches: Match[] = [
    ...EXPR_CHOICES.filter(
      (c) => !q || c.toLowerCase().includes(q) || EXPR_INFO[c].label.toLowerCase().includes(q) || EXPR_INFO[c].help.includes(q),
    ).map((choice) => ({ kind: 'choice' as const, choice })),
    ...(onPickSeries ? series : []).filter((s) => !q || s.name.toLowerCase().includes(q) || 'series'.includes(q))
      .map((s) => ({ kind: 'series' as const, series: s })),
  ];
  const close = () => {
    setOpen(false);
    setQuery('');
    trigger.current?.focus();
  };
  const pick = (m: Match) => {
    if (m.kind === 'choice') onPick(m.choice);
    else onPickSeries?.(m.series);
    close();
  };
  return (
    <span className="picker">
      <button
        ref={trigger}
        type="button"
        className="picker-trigger"
        aria-label={`${label}: ${value ? EXPR_INFO[value].label : 'unrecognized'}${value === 'series' && seriesName ? ` ${seriesName}` : ''}`}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {value === 'series' && seriesName ? seriesName : value ? EXPR_INFO[value].label : '?'} ▾
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
            {matches.map((m) => m.kind === 'choice' ? (
              <li key={m.choice}>
                <button type="button" aria-pressed={m.choice === value && !(value === 'series' && series.some((s) => s.name === seriesName))} onClick={() => pick(m)}>
                  <b>{EXPR_INFO[m.choice].label}</b> <span className="muted">{EXPR_INFO[m.choice].help}</span>
                </button>
              </li>
            ) : (
              <li key={`${m.series.global ? 'g' : 's'}:${m.series.name}`}>
                <button type="button" aria-pressed={value === 'series' && m.series.name === seriesName} onClick={() => pick(m)}>
                  <b>{m.series.name}</b> <span className="muted">{seriesHelp(m.series)}</span>
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
