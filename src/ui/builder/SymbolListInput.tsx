import { useContext, useState } from 'react';
import { childPath, formatPath, type Path } from '../doc/path.ts';
import { ValidationContext } from '../doc/ValidationContext.tsx';

export interface SymbolListInputProps {
  label: string;
  value: readonly string[] | undefined;
  onChange: (value: string[]) => void;
  path: Path;
  id?: string;
}

function split(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** Symbols typed as "AAPL, MSFT GOOG"; shows errors about the list and about any one symbol in it. */
export function SymbolListInput({ label, value, onChange, path, id }: SymbolListInputProps) {
  const list = value ?? [];
  const [text, setText] = useState(list.join(', '));
  const [seen, setSeen] = useState(list);
  if (seen !== value && value !== undefined) {
    setSeen(value);
    if (split(text).join() !== value.join()) setText(value.join(', '));
  }
  const byPath = useContext(ValidationContext);
  const messages = [formatPath(path), ...list.map((_, i) => formatPath(childPath(path, i)))]
    .flatMap((p) => byPath.get(p) ?? [])
    .map((e) => e.message);
  return (
    <span className="symbols">
      <input
        id={id}
        type="text"
        className="wide"
        aria-label={label}
        aria-invalid={messages.length > 0 || undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(split(e.target.value));
        }}
      />
      {messages.length > 0 && <span className="field-error" role="status">{messages.join('; ')}</span>}
    </span>
  );
}
