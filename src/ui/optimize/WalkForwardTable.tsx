import type { WalkForwardResult } from '../../optimize/index.ts';
import { formatPct, formatRatio, formatTime } from '../results/format.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

/** Per window: the parameters chosen in-sample, and how they did in- and out-of-sample. */
export function WalkForwardTable({ wf, params }: { wf: WalkForwardResult; params: string[] }) {
  return (
    <>
      <ScrollRegion label="Walk-forward windows">
        <table className="grid" aria-label="Walk-forward windows">
          <thead>
            <tr>
              <th scope="col" className="n">Window</th><th scope="col">Out-of-sample</th>
              {params.map((p) => <th scope="col" className="n" key={p}>${p}</th>)}
              <th scope="col" className="n">In-sample objective</th><th scope="col" className="n">Out-of-sample objective</th>
              <th scope="col" className="n">In-sample return</th><th scope="col" className="n">Out-of-sample return</th>
            </tr>
          </thead>
          <tbody>
            {wf.windows.map((w) => (
              <tr key={w.index}>
                <td className="n">{w.index + 1}</td>
                <td>{formatTime(w.outOfSample.from)} – {formatTime(w.outOfSample.to)}</td>
                {params.map((p) => <td className="n" key={p}>{w.params[p]}</td>)}
                <td className="n">{formatRatio(w.inSampleScore)}</td>
                <td className="n">{formatRatio(w.outOfSampleScore)}</td>
                <td className="n">{formatPct(w.inSampleStats.totalReturnPct)}</td>
                <td className="n">{formatPct(w.outOfSampleStats.totalReturnPct)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p>
        Stitched out-of-sample: return {formatPct(wf.outOfSample.stats.totalReturnPct)}, Sharpe {formatRatio(wf.outOfSample.stats.sharpe)};
        mean in-sample Sharpe {formatRatio(wf.inSample.meanSharpe)}; efficiency {formatRatio(wf.efficiency)}.
      </p>
    </>
  );
}
