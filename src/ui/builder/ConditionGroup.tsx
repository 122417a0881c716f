import { useState } from 'react';
import type { Condition } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { ConditionEditor } from './ConditionEditor.tsx';
import { defaultCompare } from './conditions.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { removeAt, replaceAt } from './set.ts';

/**
 * Most conditions a group shows at once. A linked or generated document may hold thousands in one group;
 * rendering them all made each keystroke take seconds, so a big group is shown a page at a time.
 */
export const GROUP_PAGE = 50;

export interface ConditionGroupProps {
  label: string;
  list: Condition[];
  onList: (list: Condition[]) => void;
  path: Path;
}

export function ConditionGroup({ label, list, onList, path }: ConditionGroupProps) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(list.length / GROUP_PAGE));
  const current = Math.min(page, pages - 1);
  const from = current * GROUP_PAGE;
  const shown = list.slice(from, from + GROUP_PAGE);
  return (
    <div className="cond-children">
      {pages > 1 && (
        <GroupPager label={label} from={from} shown={shown.length} total={list.length} page={current} pages={pages} onPage={setPage} />
      )}
      {shown.map((c, k) => {
        const i = from + k;
        return (
          <ConditionEditor
            key={i}
            label={`${label}.${i + 1}`}
            value={c}
            onChange={(v) => onList(replaceAt(list, i, v))}
            onRemove={() => onList(removeAt(list, i))}
            path={childPath(path, i)}
          />
        );
      })}
      <div className="cond-add">
        <button type="button" className="small" onClick={() => { onList([...list, defaultCompare()]); setPage(Math.floor(list.length / GROUP_PAGE)); }}>
          + comparison
        </button>
        <button type="button" className="small" onClick={() => { onList([...list, { all: [defaultCompare()] }]); setPage(Math.floor(list.length / GROUP_PAGE)); }}>
          + group
        </button>
        <FieldErrors path={path} />
      </div>
    </div>
  );
}

interface PagerProps {
  label: string;
  from: number;
  shown: number;
  total: number;
  page: number;
  pages: number;
  onPage: (page: number) => void;
}

function GroupPager({ label, from, shown, total, page, pages, onPage }: PagerProps) {
  return (
    <nav className="row cond-pager" aria-label={`${label} pages`}>
      <span className="muted" role="status">
        Showing {from + 1}–{from + shown} of {total.toLocaleString('en-US')} conditions
      </span>
      <button type="button" className="small" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous {GROUP_PAGE}</button>
      <button type="button" className="small" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>Next {GROUP_PAGE}</button>
    </nav>
  );
}
