import { useMemo, useState } from 'react';
import type { Candidate } from '../../optimize/index.ts';
import { formatCount, formatPct, formatRatio } from '../results/format.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

type Key = 'score' | 'sharpe' | 'cagrPct' | 'maxDrawdownPct' | 'tradeCount' | `p:${string}`;

const STATS: { key: Exclude<Key, `p:${string}`>; label: string; fmt: (x: number) => string }[] = [
  { key: 'score', label: 'Objective', fmt: formatRatio },
  { key: 'sharpe', label: 'Sharpe', fmt: formatRatio },
  { key: 'cagrPct', label: 'CAGR', fmt: formatPct },
  { key: 'maxDrawdownPct', label: 'Max drawdown', fmt: formatPct },
  { key: 'tradeCount', label: 'Trades', fmt: formatCount },
];

function value(c: Candidate, key: Key): number {
  if (key.startsWith('p:')) return c.params[key.slice(2)] ?? NaN;
  if (key === 'score') return c.score;
  return c.stats[key as Exclude<Key, 'score' | `p:${string}`>];
}

/** The top candidates; a column header sorts by it (again: the other direction). NaN always sorts last. */
export function ResultsTable({ top, params, onApply }: { top: Candidate[]; params: string[]; onApply: (c: Candidate) => void }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'score', desc: true });
  const rows = useMemo(() => {
    const ranked = top.map((c, rank) => ({ c, rank }));
    return ranked.sort((a, b) => {
      const x = value(a.c, sort.key), y = value(b.c, sort.key);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a.rank - b.rank : 1) : -1;
      return (sort.desc ? y - x : x - y) || a.rank - b.rank;
    });
  }, [top, sort]);
  const header = (key: Key, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" className="n" key={key} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="link" onClick={() => setSort({ key, desc: active ? !sort.desc : true })}>
          {label}{active ? (sort.desc ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };
  return (
    <ScrollRegion label="Top candidates">
      <table className="grid" aria-label="Top candidates">
        <thead>
          <tr>
            <th scope="col" className="n">Rank</th>
            {params.map((p) => header(`p:${p}`, `$${p}`))}
            {STATS.map((s) => header(s.key, s.label))}
            <th scope="col"><span className="sr-only">Apply</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ c, rank }) => (
            <tr key={rank} className={c.feasible ? undefined : 'muted'}>
              <td className="n">{rank + 1}{c.feasible ? '' : ' (infeasible)'}</td>
              {params.map((p) => <td className="n" key={p}>{c.params[p]}</td>)}
              {STATS.map((s) => <td className="n" key={s.key}>{s.fmt(value(c, s.key))}</td>)}
              <td><button type="button" onClick={() => onApply(c)} aria-label={`Apply rank ${rank + 1}`}>Apply</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
