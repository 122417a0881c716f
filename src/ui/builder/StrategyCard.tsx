import type { Strategy } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { ActionEditor } from './ActionEditor.tsx';
import { ConditionEditor } from './ConditionEditor.tsx';
import { defaultCompare } from './conditions.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { withKey } from './set.ts';

export interface StrategyCardProps {
  index: number;
  count: number;
  value: Strategy;
  onChange: (value: Strategy) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  path: Path;
}

export function StrategyCard({ index, count, value, onChange, onMove, onRemove, path }: StrategyCardProps) {
  const n = index + 1;
  return (
    <section className="card strategy" aria-label={`Strategy ${n}`}>
      <header className="row">
        <span className="badge">{n}</span>
        <input type="text" className="wide" aria-label={`Strategy ${n} name`} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} />
        <input type="text" className="id" aria-label={`Strategy ${n} id`} value={value.id} onChange={(e) => onChange({ ...value, id: e.target.value })} />
        <span className="spacer" />
        <button type="button" className="icon" aria-label={`Move strategy ${n} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>↑</button>
        <button type="button" className="icon" aria-label={`Move strategy ${n} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>↓</button>
        <button type="button" className="icon" aria-label={`Remove strategy ${n}`} disabled={count === 1} onClick={onRemove}>×</button>
      </header>
      <FieldErrors path={childPath(path, 'name')} />
      <FieldErrors path={childPath(path, 'id')} />
      <div className="when">
        <label className="inline step-name">
          <input
            type="checkbox"
            checked={value.condition !== undefined}
            onChange={(e) => onChange(withKey(value, 'condition', e.target.checked ? defaultCompare() : undefined))}
          />
          When
        </label>
        {value.condition ? (
          <ConditionEditor label={`Condition ${n}`} value={value.condition} onChange={(c) => onChange({ ...value, condition: c })} path={childPath(path, 'condition')} />
        ) : (
          <span className="muted">every bar</span>
        )}
      </div>
      <div className="then">
        <span className="step-name">Then</span>
        <ActionEditor label={`Action ${n}`} value={value.action} onChange={(action) => onChange({ ...value, action })} path={childPath(path, 'action')} />
      </div>
    </section>
  );
}
