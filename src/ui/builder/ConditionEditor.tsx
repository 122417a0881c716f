import { COMPARATORS, type Condition } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { ConditionGroup } from './ConditionGroup.tsx';
import { CONDITION_KINDS, CONDITION_NAMES, conditionKind, convertCondition } from './conditions.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { ExprEditor } from './ExprEditor.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberLikeInput } from './NumberLikeInput.tsx';

const OP_NAMES = {
  '>': '>', '>=': '≥', '<': '<', '<=': '≤', '=': '=', '!=': '≠', crossesAbove: 'crosses above', crossesBelow: 'crosses below',
} as const;

export interface ConditionEditorProps {
  /** Names the node for assistive technology, e.g. "Condition 2.1". */
  label: string;
  value: Condition;
  onChange: (value: Condition) => void;
  onRemove?: () => void;
  path: Path;
}

export function ConditionEditor({ label, value, onChange, onRemove, path }: ConditionEditorProps) {
  const kind = conditionKind(value);
  return (
    <div className={`cond cond-${kind ?? 'unknown'}`} role="group" aria-label={label}>
      <div className="cond-head">
        <EnumSelect label={`${label} type`} value={kind ?? undefined} options={CONDITION_KINDS} names={CONDITION_NAMES}
          onChange={(k) => onChange(convertCondition(kind ? value : { all: [] }, k))} />
        {'atLeast' in value && (
          <NumberLikeInput label={`${label} count`} value={value.atLeast} onChange={(n) => onChange({ ...value, atLeast: n ?? 1 })} path={childPath(path, 'atLeast')} />
        )}
        {'atMost' in value && (
          <NumberLikeInput label={`${label} count`} value={value.atMost} onChange={(n) => onChange({ ...value, atMost: n ?? 0 })} path={childPath(path, 'atMost')} />
        )}
        {'op' in value && (
          <span className="compare">
            <ExprEditor label={`${label} left`} value={value.lhs} onChange={(lhs) => onChange({ ...value, lhs })} path={childPath(path, 'lhs')} />
            <EnumSelect label={`${label} comparator`} value={value.op} options={COMPARATORS} names={OP_NAMES} onChange={(op) => onChange({ ...value, op })} />
            <ExprEditor label={`${label} right`} value={value.rhs} onChange={(rhs) => onChange({ ...value, rhs })} path={childPath(path, 'rhs')} />
          </span>
        )}
        {onRemove && (
          <button type="button" className="icon" aria-label={`Remove ${label}`} onClick={onRemove}>
            ×
          </button>
        )}
      </div>
      {kind === null && <p className="muted">Unrecognized condition; edit it in the JSON editor.</p>}
      {'not' in value && (
        <div className="cond-children">
          <ConditionEditor label={`${label}.1`} value={value.not} onChange={(not) => onChange({ not })} path={childPath(path, 'not')} />
        </div>
      )}
      {'all' in value && <ConditionGroup label={label} list={value.all} onList={(all) => onChange({ all })} path={childPath(path, 'all')} />}
      {'any' in value && <ConditionGroup label={label} list={value.any} onList={(any) => onChange({ any })} path={childPath(path, 'any')} />}
      {'of' in value && <ConditionGroup label={label} list={value.of} onList={(of) => onChange({ ...value, of })} path={childPath(path, 'of')} />}
      <FieldErrors path={path} />
    </div>
  );
}
