import { useId } from 'react';
import { ASSET_PLACEHOLDER } from '../../schema/index.ts';
import type { Path } from '../doc/path.ts';
import { usePathErrors } from '../doc/ValidationContext.tsx';
import { useBuilder } from './BuilderContext.ts';
import { FieldErrors } from './FieldErrors.tsx';

export interface AssetInputProps {
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  path: Path;
  /** Required assets (rebalance weights) never turn empty text into "first symbol". */
  required?: boolean;
}

export function AssetInput({ label, value, onChange, path, required }: AssetInputProps) {
  const { universe, inRule } = useBuilder();
  const listId = useId();
  const invalid = usePathErrors(path).length > 0;
  const choices = inRule ? [ASSET_PLACEHOLDER, ...universe] : universe;
  return (
    <span className="asset">
      <input
        className="sym"
        type="text"
        aria-label={label}
        aria-invalid={invalid || undefined}
        list={listId}
        placeholder={required ? 'symbol' : (universe[0] ?? 'first symbol')}
        value={value ?? ''}
        onChange={(e) => {
          const v = e.target.value.trim();
          onChange(v === '' && !required ? undefined : v);
        }}
      />
      <datalist id={listId}>
        {choices.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <FieldErrors path={path} />
    </span>
  );
}
