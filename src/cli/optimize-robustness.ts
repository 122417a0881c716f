/** The robustness checks `npm run optimize` can add to a search: --bootstrap N and --heatmap X,Y. */
import { runBacktest, type MarketData } from '../engine/index.ts';
import {
  bootstrap, heatmap, tradeReturns, type BootstrapResult, type EvaluatorFactory, type HeatmapResult, type OptimizeOptions, type OptimizeResult,
} from '../optimize/index.ts';
import type { StrategyDocument } from '../schema/index.ts';
import { UsageError } from './args.ts';

export interface Robustness {
  bootstrap?: BootstrapResult;
  heatmap?: HeatmapResult;
}

export async function robustness(
  doc: StrategyDocument, data: MarketData, options: OptimizeOptions, result: OptimizeResult,
  req: { bootstrap?: number; heatmap?: string }, factory?: EvaluatorFactory,
): Promise<Robustness> {
  const out: Robustness = {};
  const best = result.best;
  if (!best) return out;
  if (req.heatmap !== undefined) {
    const [x, y, ...rest] = req.heatmap.split(',').map((s) => s.trim());
    if (!x || !y || rest.length > 0) throw new UsageError(`--heatmap takes two parameter names like fast,slow, got "${req.heatmap}"`);
    out.heatmap = await heatmap(doc, data, { x, y, objective: options.objective, constraints: options.constraints, at: best.params }, factory);
  }
  if (req.bootstrap !== undefined) {
    // Walk-forward: the trades that matter are the out-of-sample ones; otherwise the winner's over all the data.
    const wf = result.walkForward;
    const run = wf ? wf.outOfSample : runBacktest(doc, data, { params: best.params, audit: false });
    out.bootstrap = bootstrap(tradeReturns(run.trades, run.curves), { samples: req.bootstrap, seed: result.seed });
  }
  return out;
}
