import type { StrategyDocument } from '../../schema/index.ts';
import { formatCount } from '../results/format.ts';
import { gridSize, valueCount } from './grid.ts';

/** The search space the document defines; the search methods themselves run in the optimizer workers. */
export function OptimizePage({ doc }: { doc: StrategyDocument | null }) {
  if (!doc) return <p className="panel">The document has problems; fix them on the Strategy page to see its parameter space.</p>;
  const entries = Object.entries(doc.parameters);
  return (
    <section className="panel" aria-labelledby="h-opt">
      <h2 id="h-opt">Parameter space</h2>
      {entries.length === 0 ? (
        <p className="muted">This document has no parameters. Add some on the Strategy page and reference them as $name.</p>
      ) : (
        <table className="grid">
          <caption>
            Grid search: {formatCount(gridSize(doc.parameters))} combinations
          </caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th><th scope="col" className="n">Default</th><th scope="col" className="n">Min</th>
              <th scope="col" className="n">Max</th><th scope="col" className="n">Step</th><th scope="col" className="n">Values</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, p]) => (
              <tr key={name}>
                <th scope="row">${name}</th>
                <td className="n">{p.default}</td>
                <td className="n">{p.min ?? '—'}</td>
                <td className="n">{p.max ?? '—'}</td>
                <td className="n">{p.step ?? '—'}</td>
                <td className="n">{formatCount(valueCount(p))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
