import { useState } from 'react';

export interface NumberInputProps {
  label: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  /** Empty text means "not set" (onChange(undefined)) instead of an invalid entry. */
  optional?: boolean;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  id?: string;
}

function format(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

/**
 * Keeps the typed text while it is not yet a number ("-", "1.", "1e") so typing is never fought; the
 * document only changes when the text is a finite number.
 */
export function NumberInput(p: NumberInputProps) {
  const [text, setText] = useState(format(p.value));
  const [seen, setSeen] = useState(p.value);
  if (!Object.is(seen, p.value)) {
    setSeen(p.value);
    if (Number(text) !== p.value || text.trim() === '') setText(format(p.value));
  }
  const parsed = text.trim() === '' ? NaN : Number(text);
  const bad = !(p.optional && text.trim() === '') && !Number.isFinite(parsed);
  return (
    <input
      id={p.id}
      className="num"
      type="text"
      inputMode="decimal"
      aria-label={p.label}
      aria-invalid={bad || p.invalid || undefined}
      aria-describedby={p.describedBy}
      placeholder={p.placeholder}
      value={text}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        if (t.trim() === '' && p.optional) p.onChange(undefined);
        else if (t.trim() !== '' && Number.isFinite(Number(t))) p.onChange(Number(t));
      }}
    />
  );
}
