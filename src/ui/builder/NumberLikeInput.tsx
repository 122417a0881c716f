import { isParamRef, type NumberLike } from '../../schema/index.ts';
import type { Path } from '../doc/path.ts';
import { usePathErrors } from '../doc/ValidationContext.tsx';
import { useBuilder } from './BuilderContext.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberInput } from './NumberInput.tsx';

export interface NumberLikeInputProps {
  label: string;
  value: NumberLike | undefined;
  onChange: (value: NumberLike | undefined) => void;
  path: Path;
  optional?: boolean;
  placeholder?: string;
}

/** A number typed inline, or a {"$param"} reference chosen from the document's parameters. */
export function NumberLikeInput(p: NumberLikeInputProps) {
  const { params } = useBuilder();
  const names = Object.keys(params);
  const param = isParamRef(p.value) ? p.value.$param : null;
  if (param !== null && !names.includes(param)) names.push(param);
  const invalid = usePathErrors(p.path).length > 0;
  return (
    <span className="numlike">
      <select
        aria-label={`${p.label} source`}
        className="numlike-src"
        value={param === null ? '' : param}
        onChange={(e) => {
          const name = e.target.value;
          if (name === '') p.onChange(param !== null ? (params[param]?.default ?? 0) : p.value);
          else p.onChange({ $param: name });
        }}
      >
        <option value="">#</option>
        {names.map((n) => (
          <option key={n} value={n}>
            ${n}
          </option>
        ))}
      </select>
      {param === null && (
        <NumberInput
          label={p.label}
          value={typeof p.value === 'number' ? p.value : undefined}
          onChange={p.onChange}
          optional={p.optional}
          placeholder={p.placeholder}
          invalid={invalid}
        />
      )}
      <FieldErrors path={p.path} />
    </span>
  );
}
