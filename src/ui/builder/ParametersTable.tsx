import type { Parameter } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberInput } from './NumberInput.tsx';
import { withKey } from './set.ts';

type Params = Record<string, Parameter>;

export interface ParametersTableProps {
  value: Params;
  /** Edits of values and additions. */
  onChange: (value: Params) => void;
  /** A rename reaches beyond the table (references and constraints follow it): the document owner does it. */
  onRename: (from: string, to: string) => void;
  onRemove: (name: string) => void;
  path: Path;
}

function freshName(params: Params): string {
  let n = Object.keys(params).length + 1;
  while (`p${n}` in params) n++;
  return `p${n}`;
}

export function ParametersTable({ value, onChange, onRename, onRemove, path }: ParametersTableProps) {
  const entries = Object.entries(value);
  const set = (name: string, p: Parameter) => onChange({ ...value, [name]: p });
  return (
    <div className="params">
      <table className="grid">
        <caption className="sr-only">Parameters</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Default</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Step</th>
            <th scope="col"><span className="sr-only">Remove</span></th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([name, p], i) => {
            const pp = childPath(path, name);
            const num = (key: 'min' | 'max' | 'step', col: string) => (
              <td>
                <NumberInput optional label={`Parameter ${name} ${col}`} value={p[key]} onChange={(v) => set(name, withKey(p, key, v))} />
                <FieldErrors path={childPath(pp, key)} />
              </td>
            );
            return (
              <tr key={i}>
                <td>
                  <input type="text" className="id" aria-label={`Parameter ${i + 1} name`} value={name}
                    onChange={(e) => e.target.value !== name && !Object.hasOwn(value, e.target.value) && onRename(name, e.target.value)} />
                  <FieldErrors path={pp} />
                </td>
                <td>
                  <NumberInput label={`Parameter ${name} default`} value={p.default} onChange={(v) => set(name, { ...p, default: v ?? 0 })} />
                  <FieldErrors path={childPath(pp, 'default')} />
                </td>
                {num('min', 'min')}
                {num('max', 'max')}
                {num('step', 'step')}
                <td>
                  <button type="button" className="icon" aria-label={`Remove parameter ${name}`}
                    onClick={() => onRemove(name)}>
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
          {entries.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">No parameters. Parameters are named numbers ($name) that optimization varies.</td>
            </tr>
          )}
        </tbody>
      </table>
      <button type="button" className="small" onClick={() => onChange({ ...value, [freshName(value)]: { default: 1 } })}>
        + parameter
      </button>
    </div>
  );
}
