import { runBacktest, type MarketData } from '../engine/index.ts';
import type { Curves, RunResult, Stats, StrategyDocument, Trade } from '../schema/index.ts';
import type { EvaluatorFactory } from './evaluator.ts';
import type { Progress } from './ledger.ts';
import { score } from './objective.ts';
import { search, type SearchOptions, type SearchResult } from './search.ts';
import { SpaceError } from './space.ts';
import { stitch } from './stitch.ts';
import { planWindows, sliceData, timelineOf, type Span, type WindowSizes } from './windows.ts';

export interface WalkForwardWindow {
  index: number;
  inSample: Span;
  outOfSample: Span;
  /** Chosen in-sample, before any out-of-sample bar was seen. */
  params: Record<string, number>;
  inSampleStats: Stats;
  inSampleScore: number;
  outOfSampleStats: Stats;
  outOfSampleScore: number;
  evaluations: number;
}

export interface WalkForwardResult {
  sizes: WindowSizes;
  windows: WalkForwardWindow[];
  /** The out-of-sample runs chained into one account. */
  outOfSample: { stats: Stats; score: number; curves: Curves; trades: Trade[] };
  /** Means over the windows of the winners' in-sample figures, to set beside the out-of-sample ones. */
  inSample: { meanScore: number; meanAnnualReturnPct: number; meanSharpe: number };
  /** Out-of-sample annual return ÷ mean in-sample annual return: near 1 ⇒ the in-sample edge carried over. */
  efficiency: number;
  evaluations: number;
  elapsedMs: number;
  /** The last window's search: its winner is what one would trade from the end of the data on. */
  latest: SearchResult;
}

export interface WalkForwardProgress extends Progress {
  window: number;
  windows: number;
}

/**
 * Each window optimizes on its in-sample bars alone (sliced: the search cannot see a later bar), then
 * runs the winner out of sample. The out-of-sample run is fed every earlier bar so its indicators are
 * warm at the window's first bar; settings.range.from starts trading there, and no bar after the window
 * is loaded.
 */
export async function walkForward(
  doc: StrategyDocument,
  data: MarketData,
  sizes: WindowSizes,
  options: SearchOptions,
  factory: EvaluatorFactory,
  onProgress?: (p: WalkForwardProgress) => void,
  signal?: AbortSignal,
): Promise<WalkForwardResult> {
  const plans = planWindows(timelineOf(doc, data), sizes);
  if (plans.length === 0) throw new SpaceError(`walk-forward: the data are too short for ${sizes.inSample}/${sizes.outOfSample} ${sizes.unit}`);
  const objective = options.objective ?? 'sharpe';
  const inSampleDoc: StrategyDocument = { ...doc, settings: { ...doc.settings, range: undefined } };
  const windows: WalkForwardWindow[] = [];
  const runs: RunResult[] = [];
  let evaluations = 0, elapsedMs = 0;
  let latest: SearchResult | undefined;
  for (const w of plans) {
    const res = await search(
      { id: `wf${w.index}-in`, doc: inSampleDoc, data: sliceData(data, w.inSample.from, w.inSample.to) },
      options, factory,
      onProgress && ((p) => onProgress({ ...p, window: w.index, windows: plans.length })),
      signal,
    );
    const best = res.best!;
    evaluations += res.evaluations;
    elapsedMs += res.elapsedMs;
    latest = res;
    signal?.throwIfAborted();
    const oosDoc: StrategyDocument = { ...doc, settings: { ...doc.settings, range: { from: new Date(w.outOfSample.from).toISOString() } } };
    const run = runBacktest(oosDoc, sliceData(data, -Infinity, w.outOfSample.to), { params: best.params, audit: false });
    runs.push(run);
    windows.push({
      index: w.index, inSample: w.inSample, outOfSample: w.outOfSample, params: best.params,
      inSampleStats: best.stats, inSampleScore: best.score,
      outOfSampleStats: run.stats, outOfSampleScore: score(run.stats, objective), evaluations: res.evaluations,
    });
  }
  const oos = stitch(runs, doc.settings);
  const mean = (f: (w: WalkForwardWindow) => number) => windows.reduce((s, w) => s + f(w), 0) / windows.length;
  const inSample = { meanScore: mean((w) => w.inSampleScore), meanAnnualReturnPct: mean((w) => w.inSampleStats.annualReturnPct), meanSharpe: mean((w) => w.inSampleStats.sharpe) };
  return {
    sizes, windows,
    outOfSample: { ...oos, score: score(oos.stats, objective) },
    inSample,
    efficiency: oos.stats.annualReturnPct / inSample.meanAnnualReturnPct,
    evaluations,
    elapsedMs,
    latest: latest!,
  };
}
