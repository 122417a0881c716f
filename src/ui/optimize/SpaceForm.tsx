import type { StrategyDocument } from '../../schema/index.ts';
import { formatCount } from '../results/format.ts';
import type { RangeForm } from './form.ts';
import { valueCount } from './grid.ts';

/** Which parameters to search and over what range (prefilled from the document, editable). */
export function SpaceForm({ doc, ranges, onChange }: {
  doc: StrategyDocument; ranges: Record<string, RangeForm>; onChange: (name: string, r: RangeForm) => void;
}) {
  const entries = Object.entries(doc.parameters);
  if (entries.length === 0) {
    return <p className="muted">This document has no parameters. Add some on the Strategy page and reference them as $name.</p>;
  }
  let size = 1;
  for (const [name, p] of entries) {
    const r = ranges[name];
    if (!r?.include) continue;
    size *= p.values ? p.values.length : valueCount({ default: p.default, min: Number(r.min), max: Number(r.max), step: Number(r.step) });
  }
  const input = (name: string, r: RangeForm, field: 'min' | 'max' | 'step') => (
    <input type="number" inputMode="decimal" value={r[field]} aria-label={`$${name} ${field}`} size={6}
      disabled={!r.include} onChange={(e) => onChange(name, { ...r, [field]: e.target.value })} />
  );
  return (
    <table className="grid">
      <caption>Grid search: {formatCount(size)} combinations</caption>
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
