import type { HeatmapResult } from '../../optimize/index.ts';
import { formatRatio } from '../results/format.ts';
import { extent } from '../results/report-math.ts';

/** Red (worst) → yellow → green (best) over the finite range; grey where the objective is undefined. */
function color(v: number, lo: number, hi: number, feasible: boolean): string {
  if (!Number.isFinite(v)) return 'var(--muted-bg, #ddd)';
  const t = hi > lo ? (v - lo) / (hi - lo) : 1;
  return `hsl(${Math.round(t * 120)} 65% ${feasible ? 45 : 75}%)`;
}

/** Label every k-th value so at most ~12 labels show, evenly spaced; the rest stay readable to screen readers. */
function tickEvery(n: number): number {
  return Math.max(1, Math.ceil(n / 12));
}

function Tick({ v, i, every }: { v: number; i: number; every: number }) {
  return i % every === 0 ? <>{v}</> : <span className="sr-only">{v}</span>;
}

/** Cells a parameter constraint rules out: never evaluated, drawn hatched so they never read as a low score. */
const EXCLUDED = 'repeating-linear-gradient(45deg, transparent 0 3px, var(--border, #bbb) 3px 4px)';

/** Colour scale, with the infeasible and undefined swatches, so a colour can be read as a number. */
function Legend({ lo, hi, objective, excluded }: { lo: number; hi: number; objective: string; excluded: boolean }) {
  return (
    <div className="heat-legend" aria-label={`Colour legend: ${objective} from ${formatRatio(lo)} (red) to ${formatRatio(hi)} (green)`}>
      <span>{formatRatio(lo)}</span>
      <span className="heat-scale" aria-hidden="true" />
      <span>{formatRatio(hi)}</span>
      <span className="heat-swatch" style={{ background: color(hi, lo, hi, false) }} aria-hidden="true" /> <span>paler: infeasible (fails a constraint)</span>
      <span className="heat-swatch" style={{ background: color(NaN, lo, hi, true) }} aria-hidden="true" /> <span>grey: undefined</span>
      {excluded && <><span className="heat-swatch" style={{ background: EXCLUDED }} aria-hidden="true" /> <span>hatched: excluded by a parameter constraint (not run)</span></>}
    </div>
  );
}

/** The objective over two parameters as a table of coloured cells; each cell names its values for screen readers. */
export function Heatmap({ map, objective }: { map: HeatmapResult; objective: string }) {
  const finite = map.z.flat().filter(Number.isFinite);
  const [lo, hi] = extent(finite);
  const { x, y } = map;
  const ex = tickEvery(x.values.length), ey = tickEvery(y.values.length);
  return (
    <figure className="heatmap">
      <table aria-label={`${objective} over $${x.name} and $${y.name}`}>
        <thead>
          <tr>
            <th scope="col">${y.name} \ ${x.name}</th>
            {x.values.map((v, i) => <th scope="col" key={v} className="n"><Tick v={v} i={i} every={ex} /></th>)}
          </tr>
        </thead>
        <tbody>
          {y.values.map((yv, j) => (
            <tr key={yv}>
              <th scope="row" className="n"><Tick v={yv} i={j} every={ey} /></th>
              {x.values.map((xv, i) => {
                const z = map.z[j]![i]!, ok = map.feasible[j]![i]!, out = map.excluded?.[j]?.[i] ?? false;
                const best = map.best.i === i && map.best.j === j;
                const label = out
                  ? `$${x.name} ${xv}, $${y.name} ${yv}: excluded by a parameter constraint`
                  : `$${x.name} ${xv}, $${y.name} ${yv}: ${objective} ${formatRatio(z)}${ok ? '' : ' (infeasible)'}${best ? ' (best)' : ''}`;
                return (
                  <td key={xv} aria-label={label} title={label} className={best ? 'best' : out ? 'excluded' : undefined}
                    style={{ background: out ? EXCLUDED : color(z, lo, hi, ok), minWidth: '1.6em', height: '1.6em', outline: best ? '2px solid currentColor' : undefined }} />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Legend lo={lo} hi={hi} objective={objective} excluded={map.excluded?.some((row) => row.some(Boolean)) ?? false} />
      <figcaption>
        Best {objective} {formatRatio(map.best.score)} at ${x.name} {x.values[map.best.i]}, ${y.name} {y.values[map.best.j]};
        plateau score {formatRatio(map.plateau)} (near 1: neighbours score alike; near 0: a spike).
      </figcaption>
    </figure>
  );
}
