export interface EnumSelectProps<T extends string> {
  label: string;
  value: T | undefined;
  options: readonly T[];
  onChange: (value: T) => void;
  /** Display text per option; the option value itself when absent. */
  names?: Partial<Record<T, string>>;
  /** Adds an empty first option meaning "not set"; choosing it calls onUnset. */
  unsetName?: string;
  onUnset?: () => void;
  invalid?: boolean;
}

export function EnumSelect<T extends string>(p: EnumSelectProps<T>) {
  // A value outside the options (typed in the JSON, e.g. "crossAbove") is shown as it is and marked invalid;
  // a <select> would otherwise silently display its first option as if it were chosen.
  const unknown = p.value !== undefined && p.value !== '' && !p.options.includes(p.value);
  return (
    <select
      aria-label={p.label}
      aria-invalid={p.invalid || unknown || undefined}
      value={p.value ?? ''}
      onChange={(e) => {
        const v = e.target.value;
        if (v === '') p.onUnset?.();
        else p.onChange(v as T);
      }}
    >
      {(p.unsetName !== undefined || p.value === undefined) && <option value="">{p.unsetName ?? '—'}</option>}
      {unknown && <option value={p.value} disabled>{`${p.value} (not valid)`}</option>}
      {p.options.map((o) => (
        <option key={o} value={o}>
          {p.names?.[o] ?? o}
        </option>
      ))}
    </select>
  );
}
