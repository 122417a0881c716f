import type { Window } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { usePathErrors } from '../doc/ValidationContext.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberLikeInput } from './NumberLikeInput.tsx';

export interface WindowInputProps {
  label: string;
  value: Window | undefined;
  onChange: (value: Window) => void;
  path: Path;
}

/** `{bars: N}` counts observations; `{duration}` holds the observations of the last span of time. */
export function WindowInput({ label, value, onChange, path }: WindowInputProps) {
  const isDuration = typeof value === 'object' && value !== null && 'duration' in value;
  const durationInvalid = usePathErrors(childPath(path, 'duration')).length > 0;
  return (
    <span className="window">
      <select
        aria-label={`${label} unit`}
        value={isDuration ? 'duration' : 'bars'}
        onChange={(e) => {
          if (e.target.value === 'duration') {
            const n = value && 'bars' in value && typeof value.bars === 'number' ? value.bars : 20;
            onChange({ duration: `${n}d` });
          } else {
            const n = value && 'duration' in value ? Number.parseInt(value.duration, 10) : NaN;
            onChange({ bars: Number.isFinite(n) && n > 0 ? n : 20 });
          }
        }}
      >
        <option value="bars">bars</option>
        <option value="duration">duration</option>
      </select>
      {isDuration ? (
        <input
          className="dur"
          type="text"
          aria-label={`${label} duration`}
          aria-invalid={durationInvalid || undefined}
          placeholder="30d"
          value={value.duration}
          onChange={(e) => onChange({ duration: e.target.value })}
        />
      ) : (
        <NumberLikeInput
          label={`${label} bars`}
          value={value && 'bars' in value ? value.bars : undefined}
          onChange={(bars) => onChange({ bars: bars ?? 1 })}
          path={childPath(path, 'bars')}
        />
      )}
      {isDuration && <FieldErrors path={childPath(path, 'duration')} />}
      <FieldErrors path={path} />
    </span>
  );
}
