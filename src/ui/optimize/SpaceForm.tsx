import { formatConstraint, type StrategyDocument } from '../../schema/index.ts';
import { formatCount } from '../results/format.ts';
import type { Method } from '../../optimize/index.ts';
import { formFeasibleSize, formGridSize, type RangeForm } from './form.ts';

/**
 * What the chosen search will do with the space, in words. `size` counts the combinations the parameter
 * constraints allow; `excluded` those they rule out (null: too many to count while typing).
 */
export function searchSummary(method: Method, size: number, evaluations: number, excluded: number | null = 0): string {
  const n = Number.isFinite(evaluations) && evaluations > 0 ? evaluations : 0;
  const out = excluded === null ? ' (some excluded by the constraints)' : excluded > 0 ? ` (${formatCount(excluded)} excluded by the constraints)` : '';
  if (method === 'grid') return `Grid search: ${formatCount(size)} combinations${out}`;
  if (method === 'random') return `Random search: ${formatCount(Math.min(n, size))} of ${formatCount(size)} combinations, sampled${out}`;
  return `Genetic search: up to ${formatCount(n)} evaluations over ${formatCount(size)} combinations${out}`;
}

/** The document's parameter constraints, which every search honours (edited on the Strategy page). */
export function ConstraintsNote({ doc }: { doc: StrategyDocument }) {
  const cs = doc.parameterConstraints ?? [];
  if (cs.length === 0) {
    return <p className="muted opt-constraints">No parameter constraints: every combination is tried. Add one (e.g. $fast &lt; $slow) under Parameter constraints on the Strategy page.</p>;
  }
  return (
    <p className="opt-constraints" aria-label="Parameter constraints">
      Parameter constraints: {cs.map((c, i) => <span key={i}>{i > 0 && ', '}<strong>{formatConstraint({ ...c, left: `$${c.left}`, right: `$${c.right}` })}</strong></span>)}.
      {' '}Every search skips the combinations that break them (edit them on the Strategy page).
    </p>
  );
}

/** Which parameters to search and over what range (prefilled from the document, editable). */
export function SpaceForm({ doc, ranges, onChange, method, evaluations }: {
  doc: StrategyDocument; ranges: Record<string, RangeForm>; onChange: (name: string, r: RangeForm) => void;
  method: Method; evaluations: number;
}) {
  const entries = Object.entries(doc.parameters);
  if (entries.length === 0) {
    return <p className="muted">This document has no parameters. Add some on the Strategy page and reference them as $name.</p>;
  }
  const size = formGridSize(doc, ranges);
  const feasible = formFeasibleSize(doc, ranges);
  const input = (name: string, r: RangeForm, field: 'min' | 'max' | 'step') => (
    <input type="number" inputMode="decimal" value={r[field]} aria-label={`$${name} ${field}`} size={6}
      disabled={!r.include} onChange={(e) => onChange(name, { ...r, [field]: e.target.value })} />
  );
  return (
    <table className="grid opt-space">
      <caption>{searchSummary(method, feasible ?? size, evaluations, feasible === null ? null : size - feasible)}</caption>
      <thead>
        <tr>
          <th scope="col">Search</th><th scope="col" className="n">Default</th><th scope="col" className="n">Min</th>
          <th scope="col" className="n">Max</th><th scope="col" className="n">Step</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, p]) => {
          const r = ranges[name] ?? { include: false, min: '', max: '', step: '' };
          return (
            <tr key={name}>
              <th scope="row">
                <label><input type="checkbox" checked={r.include} onChange={(e) => onChange(name, { ...r, include: e.target.checked })} /> ${name}</label>
              </th>
              <td className="n">{p.default}</td>
              {p.values ? (
                <td colSpan={3}>values {p.values.join(', ')}</td>
              ) : (
                <>
                  <td className="n">{input(name, r, 'min')}</td>
                  <td className="n">{input(name, r, 'max')}</td>
                  <td className="n">{input(name, r, 'step')}</td>
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
