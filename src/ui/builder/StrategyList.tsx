import type { Strategy } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { defaultCompare } from './conditions.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { move, removeAt, replaceAt } from './set.ts';
import { StrategyCard } from './StrategyCard.tsx';

export interface StrategyListProps {
  value: Strategy[];
  onChange: (value: Strategy[]) => void;
  path: Path;
}

function freshId(list: readonly Strategy[]): string {
  const ids = new Set(list.map((s) => s.id));
  let n = list.length + 1;
  while (ids.has(`s${n}`)) n++;
  return `s${n}`;
}

/** Strategies share one portfolio and are evaluated in this order on every bar. */
export function StrategyList({ value, onChange, path }: StrategyListProps) {
  return (
    <div className="strategies">
      {value.map((s, i) => (
        <StrategyCard
          key={i}
          index={i}
          count={value.length}
          value={s}
          onChange={(v) => onChange(replaceAt(value, i, v))}
          onMove={(to) => onChange(move(value, i, to))}
          onRemove={() => onChange(removeAt(value, i))}
          path={childPath(path, i)}
        />
      ))}
      <FieldErrors path={path} />
      <button
        type="button"
        onClick={() => onChange([...value, { id: freshId(value), name: 'New strategy', condition: defaultCompare(), action: { type: 'alert', message: 'signal' } }])}
      >
        + Add strategy
      </button>
    </div>
  );
}
