import type { Condition } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { ConditionEditor } from './ConditionEditor.tsx';
import { defaultCompare } from './conditions.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { removeAt, replaceAt } from './set.ts';

export interface ConditionGroupProps {
  label: string;
  list: Condition[];
  onList: (list: Condition[]) => void;
  path: Path;
}

export function ConditionGroup({ label, list, onList, path }: ConditionGroupProps) {
  return (
    <div className="cond-children">
      {list.map((c, i) => (
        <ConditionEditor
          key={i}
          label={`${label}.${i + 1}`}
          value={c}
          onChange={(v) => onList(replaceAt(list, i, v))}
          onRemove={() => onList(removeAt(list, i))}
          path={childPath(path, i)}
        />
      ))}
      <div className="cond-add">
        <button type="button" className="small" onClick={() => onList([...list, defaultCompare()])}>
          + comparison
        </button>
        <button type="button" className="small" onClick={() => onList([...list, { all: [defaultCompare()] }])}>
          + group
        </button>
        <FieldErrors path={path} />
      </div>
    </div>
  );
}
