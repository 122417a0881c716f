import type { Parameter } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberInput } from './NumberInput.tsx';
import { withKey } from './set.ts';

type Params = Record<string, Parameter>;

export interface ParametersTableProps {
  value: Params;
  onChange: (value: Params) => void;
  path: Path;
}

/** Renames rebuild the object so the parameter keeps its place in the table. */
function rename(params: Params, from: string, to: string): Params {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k === from ? to : k, v]));
}

function freshName(params: Params): string {
  let n = Object.keys(params).length + 1;
  while (`p${n}` in params) n++;
  return `p${n}`;
}

export function ParametersTable({ value, onChange, path }: ParametersTableProps) {
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
                    onChange={(e) => e.target.value !== name && !(e.target.value in value) && onChange(rename(value, name, e.target.value))} />
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
                    onClick={() => onChange(Object.fromEntries(entries.filter(([k]) => k !== name)))}>
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
