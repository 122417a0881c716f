import type { HeatmapResult } from '../../optimize/index.ts';
import { formatRatio } from '../results/format.ts';

/** Red (worst) → yellow → green (best) over the finite range; grey where the objective is undefined. */
function color(v: number, lo: number, hi: number, feasible: boolean): string {
  if (!Number.isFinite(v)) return 'var(--muted-bg, #ddd)';
  const t = hi > lo ? (v - lo) / (hi - lo) : 1;
  return `hsl(${Math.round(t * 120)} 65% ${feasible ? 45 : 75}%)`;
}

/** The objective over two parameters as a table of coloured cells; each cell names its values for screen readers. */
export function Heatmap({ map, objective }: { map: HeatmapResult; objective: string }) {
  const finite = map.z.flat().filter(Number.isFinite);
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const { x, y } = map;
  return (
    <figure className="heatmap">
      <table aria-label={`${objective} over $${x.name} and $${y.name}`}>
        <thead>
          <tr>
            <th scope="col">${y.name} \ ${x.name}</th>
            {x.values.map((v) => <th scope="col" key={v} className="n">{v}</th>)}
          </tr>
        </thead>
        <tbody>
          {y.values.map((yv, j) => (
            <tr key={yv}>
              <th scope="row" className="n">{yv}</th>
              {x.values.map((xv, i) => {
                const z = map.z[j]![i]!, ok = map.feasible[j]![i]!;
                const best = map.best.i === i && map.best.j === j;
                const label = `$${x.name} ${xv}, $${y.name} ${yv}: ${objective} ${formatRatio(z)}${ok ? '' : ' (infeasible)'}${best ? ' (best)' : ''}`;
                return (
                  <td key={xv} aria-label={label} title={label} className={best ? 'best' : undefined}
                    style={{ background: color(z, lo, hi, ok), minWidth: '1.6em', height: '1.6em', outline: best ? '2px solid currentColor' : undefined }} />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <figcaption>
        Best {objective} {formatRatio(map.best.score)} at ${x.name} {x.values[map.best.i]}, ${y.name} {y.values[map.best.j]};
        plateau score {formatRatio(map.plateau)} (near 1: neighbours score alike; near 0: a spike).
      </figcaption>
    </figure>
  );
}
