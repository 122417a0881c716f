import type { BarColumns, RunResult, StrategyDocument } from '../schema/index.ts';
import { compile } from '../strategy/index.ts';
import { dataWarnings, rangeOf, type RunOptions } from './backtest.ts';
import { Kernel } from './kernel.ts';
import { runData } from './corporate.ts';
import { RunError, type MarketData } from './market.ts';
import { releaseRecorder } from './recorder.ts';
import { buildResult } from './result.ts';
import { magnifierWarnings, venueOptions } from './magnifier.ts';
import { SimulatedVenue, type Venue } from './venue.ts';

/**
 * The replay processor: bars arrive one at a time, as a live feed delivers them. A timestamp is complete
 * when a bar with a later time arrives (or the feed ends), and only then does the kernel step — the live
 * processor does the same with a clock deadline. Proves the live path decides exactly like the backtest.
 */
export class ReplayProcessor {
  private pendingTime = NaN;
  private readonly symbols: Map<string, number>;

  constructor(readonly kernel: Kernel) {
    this.symbols = new Map(kernel.plan.assets.map((s, i) => [s, i]));
  }

  push(symbol: string, time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const a = this.symbols.get(symbol);
    if (a === undefined) return; // a symbol this plan does not read
    if (time < this.pendingTime) throw new RangeError(`bar for ${symbol} at ${new Date(time).toISOString()} arrived after a later bar`);
    if (time > this.pendingTime) this.flush();
    this.pendingTime = time;
    this.kernel.setBar(a, open, high, low, close, volume);
  }

  /** Completes the pending timestamp. */
  flush(): void {
    if (!Number.isNaN(this.pendingTime)) this.kernel.step(this.pendingTime);
    this.pendingTime = NaN;
  }
}

/** Runs a document by replaying its data bar by bar (time order, then symbol order within a timestamp). */
export function runReplay(doc: StrategyDocument, data: MarketData, opts: RunOptions & { venue?: (n: number) => Venue } = {}): RunResult {
  const plan = opts.plan ?? compile(doc, { params: opts.params });
  const { cols, actions } = runData(data, plan.assets, doc.settings);
  const { from, to } = rangeOf(doc);
  const kernel = new Kernel({
    plan,
    settings: doc.settings,
    venue: opts.venue ?? ((n) => new SimulatedVenue(doc.settings.fillModel, n, venueOptions(doc.settings, data, plan.assets))),
    series: data.series ?? [],
    fromTime: from,
    audit: opts.audit ?? true,
    sizing: opts.sizing,
    actions,
  });
  const replay = new ReplayProcessor(kernel);
  for (const bar of barStream(cols, plan.assets)) {
    if (bar.time > to) break;
    replay.push(bar.symbol, bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume);
  }
  replay.flush();
  if (kernel.recorder.length === 0) throw new RunError('no bars in the selected range');
  kernel.venue.finish();
  if (doc.settings.closeAtEnd) kernel.closeAtEnd();
  const result = buildResult(kernel, [...dataWarnings(plan, cols, from, to, doc.settings.timeframe), ...magnifierWarnings(doc.settings, data, kernel.venue)]);
  releaseRecorder(kernel.recorder);
  return result;
}

/** Bars of all symbols as single objects in feed order — deliberately the slow, live-shaped path. */
function* barStream(cols: BarColumns[], symbols: readonly string[]) {
  const idx = cols.map(() => 0);
  for (;;) {
    let t = Infinity;
    cols.forEach((c, a) => { if (idx[a]! < c.length && c.time[idx[a]!]! < t) t = c.time[idx[a]!]!; });
    if (t === Infinity) return;
    for (let a = 0; a < cols.length; a++) {
      const c = cols[a]!, i = idx[a]!;
      if (i < c.length && c.time[i] === t) {
        yield { symbol: symbols[a]!, time: t, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! };
        idx[a] = i + 1;
      }
    }
  }
}
