import { CONSTRAINT_OPS, type ConstraintOp, type ParameterConstraint } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { FieldErrors } from './FieldErrors.tsx';

export interface ConstraintsEditorProps {
  value: ParameterConstraint[];
  /** Declared parameter names, offered on both sides. */
  names: readonly string[];
  /** An empty list removes the field from the document. */
  onChange: (value: ParameterConstraint[]) => void;
  path: Path;
}

const OP_NAMES: Record<ConstraintOp, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** Parameter constraints ($fast < $slow): every optimization search skips the combinations that break one. */
export function ConstraintsEditor({ value, names, onChange, path }: ConstraintsEditorProps) {
  const set = (i: number, c: ParameterConstraint) => onChange(value.map((x, k) => (k === i ? c : x)));
  return (
    <div className="constraints">
      {value.length === 0 ? (
        <p className="muted">No constraints. A constraint such as $fast &lt; $slow keeps every search to combinations that make sense.</p>
      ) : (
        <ul className="constraint-list">
          {value.map((c, i) => {
            const cp = childPath(path, i);
            return (
              <li key={i}>
                <EnumSelect label={`Constraint ${i + 1} left parameter`} value={c.left} options={names} names={dollar(names)}
                  onChange={(left) => set(i, { ...c, left })} />
                <EnumSelect label={`Constraint ${i + 1} operator`} value={c.op} options={CONSTRAINT_OPS} names={OP_NAMES}
                  onChange={(op) => set(i, { ...c, op })} />
                <EnumSelect label={`Constraint ${i + 1} right parameter`} value={c.right} options={names} names={dollar(names)}
                  onChange={(right) => set(i, { ...c, right })} />
                <button type="button" className="icon" aria-label={`Remove constraint ${i + 1}`}
                  onClick={() => onChange(value.filter((_, k) => k !== i))}>×</button>
                <FieldErrors path={cp} />
                <FieldErrors path={childPath(cp, 'left')} />
                <FieldErrors path={childPath(cp, 'op')} />
                <FieldErrors path={childPath(cp, 'right')} />
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className="small" disabled={names.length < 2}
        title={names.length < 2 ? 'A constraint relates two parameters: declare at least two' : undefined}
        onClick={() => onChange([...value, { left: names[0]!, op: '<', right: names[1]! }])}>
        + constraint
      </button>
    </div>
  );
}

function dollar(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `$${n}`]));
}
