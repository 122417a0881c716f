import { lowerBound, upperBound } from '../lib/search.ts';
import { parseIsoUtc } from '../lib/time.ts';
import type { BarColumns, RunResult, StrategyDocument } from '../schema/index.ts';
import { canGenerate, compile, type ParamValues, type Plan } from '../strategy/index.ts';
import type { IndicatorCache } from './indicator-cache.ts';
import { Kernel, type Explanation } from './kernel.ts';
import { rawActionsFor, runData } from './corporate.ts';
import { RunError, type MarketData } from './market.ts';
import { releaseRecorder } from './recorder.ts';
import { fastSignalShare, runFast, type FastInput } from './fast/run.ts';
import type { SignalShare } from './fast/signals.ts';
import { compiledPlan } from './fast/walk.ts';
import { buildResult } from './result.ts';
import { magnifierWarnings, venueOptions } from './magnifier.ts';
import { SimulatedVenue } from './venue.ts';
import { survivorshipWarnings } from './survivorship.ts';

export interface RunOptions {
  /** Parameter overrides (optimization); ignored when `plan` is given. */
  params?: ParamValues;
  /** A plan compiled once and reused across runs. */
  plan?: Plan;
  /** Record condition traces of signals (default true; sweeps turn it off). */
  audit?: boolean;
  /**
   * 'stats' keeps only what statistics need: no signal or order log and no sampled curves (empty arrays).
   * For optimization sweeps, where thousands of runs are reduced to their stats.
   */
  record?: 'full' | 'stats';
  /**
   * With record 'stats': false leaves the result's `trades` empty, for callers that read only `stats` (the
   * optimizers' evaluations). The trade log is then handed to the next run on the thread without the copy
   * a stats-only result's lazy trades need, which on W3 (~9k trades a run) was a third of a run's CPU in
   * garbage collection. Default true.
   */
  trades?: boolean;
  /**
   * With record 'full': the result's trades, orders and signals as columns (`RunResult.columns`, the layout
   * of src/lib/result-table.ts), for a caller that ships them as columns anyway (a worker's runColumns). Only
   * the compiled walk makes them (from its logs, with no object per row); a run on another walk returns
   * objects as usual. Signals carry no trace there.
   */
  columns?: boolean;
  /** Shared precomputed indicator columns for these bars (optimization batches). */
  indicatorCache?: IndicatorCache;
  /**
   * 'auto' (default): the compiled fast path when it covers the document and the run is large enough for it
   * to pay (FAST_MIN_BARS) or the compiled walk takes it, else the reference; the result says which ran and why. 'fast': the fast path
   * whenever it covers the document, whatever the size (the differential tests). 'reference': always the
   * kernel's step-by-step walk.
   */
  engine?: 'auto' | 'fast' | 'reference';
  /** Non-zero at index 0 ⇒ stop; checked every CANCEL_CHECK_STEPS steps. */
  cancel?: Int32Array;
  onProgress?: (fraction: number) => void;
  /** 'signal': fix each order's quantity at the signal bar's close, as live trading must (docs/ENGINE.md). */
  sizing?: 'fill' | 'signal';
  /**
   * Parts of this run's signal pass computed beforehand, on other threads (signalShare): the fast path takes
   * their events instead of computing those groups. Same events, so the same result; a share that does not
   * fit (another plan, another cache state) is ignored and its groups are computed here.
   */
  shares?: readonly SignalShare[];
}

export const CANCEL_CHECK_STEPS = 4096;

/**
 * Below this many bars (all assets) 'auto' runs the reference unless the compiled walk takes the run: the
 * kernel-assisted fast walk's set-up (columns, signal pass, event merge) costs about what it saves there.
 * Measured with `npm run bench -- engine` (same-run CPU ratios, fast ÷ reference on the W3 document cut to N
 * minute bars, wave 3, before the compiled walk): 1.10 at 2,000, 1.05 at 5,000, 0.87 at 10,000, 0.83 at
 * 20,000 bars. The compiled walk (no kernel at all) is faster than the reference at W1's 3,780 daily bars
 * (the bench's "W1" and "W1 auto" rows), so small runs it takes go to it.
 *
 * Above it 'auto' takes the fast path with or without an IndicatorCache. A multi-asset run without one (a
 * one-off CLI run) went to the reference until 2026-12-05, on a wave-3 measurement (W2 built cold: fast ÷
 * reference 1.07–1.20 in CPU). Since the fused signal pass, W2 once in a fresh Node process took 0.53 s on the
 * fast path against 2.3 s on the reference without traces, and 1.9 against 2.6 with them; multi-asset runs
 * of 35,000–786,000 minute bars with traces were within ±20 % of the reference either way (one process each).
 */
export const FAST_MIN_BARS = 10_000;

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** The range of a document: `from` at UTC midnight; a date-only `to` includes that whole day. */
export function rangeOf(doc: StrategyDocument): { from: number; to: number } {
  const r = doc.settings.range;
  const from = r?.from ? parseIsoUtc(r.from) : -Infinity;
  let to = r?.to ? parseIsoUtc(r.to) : Infinity;
  if (r?.to && /^\d{4}-\d{2}-\d{2}$/.test(r.to)) to += 86_400_000 - 1;
  return { from, to };
}

interface Prepared {
  plan: Plan;
  cols: BarColumns[];
  kernel: Kernel;
  from: number;
  to: number;
  warnings: string[];
}

/** `cachedOnly`: read the cache's columns where it has them and stream the other indicators (none computed, none kept). */
function prepare(doc: StrategyDocument, data: MarketData, opts: RunOptions, cachedOnly = false): Prepared {
  const plan = opts.plan ?? compile(doc, { params: opts.params });
  const { cols, actions } = runData(data, plan.assets, doc.settings);
  const { from, to } = rangeOf(doc);
  const steps = cols.reduce((m, c) => Math.max(m, c.length), 0);
  const kernel = new Kernel({
    plan,
    settings: doc.settings,
    venue: (n) => new SimulatedVenue(doc.settings.fillModel, n, venueOptions(doc.settings, data, plan.assets)),
    series: data.series ?? [],
    fromTime: from,
    audit: opts.audit ?? true,
    record: opts.record,
    capacity: steps,
    sizing: opts.sizing,
    actions,
    precomputed: opts.indicatorCache ? plan.indicators.map((pi) => {
      const cache = opts.indicatorCache!, bars = cols[pi.asset]!;
      return cachedOnly && !cache.has(pi, bars) ? null : cache.get(pi, bars);
    }) : undefined,
  });
  return { plan, cols, kernel, from, to, warnings: dataWarnings(plan, cols, from, to, doc.settings.timeframe) };
}

/** What a run says about its data: missing warm-up history, and symbols that do not span the run. */
export function dataWarnings(plan: Plan, cols: readonly BarColumns[], from: number, to: number, timeframe: string): string[] {
  return [...warmupWarnings(plan, cols, from), ...survivorshipWarnings(plan.assets, cols, from, to, timeframe)];
}

/** When the data hold too little history before the start, say which indicator and how much is missing. */
export function warmupWarnings(plan: Plan, cols: readonly BarColumns[], from: number): string[] {
  const out: string[] = [];
  // Without a start date trading begins whenever indicators are ready: nothing is missing.
  if (!Number.isFinite(from)) return out;
  for (const need of plan.warmup.detail) {
    const c = cols[plan.assets.indexOf(need.asset)]!;
    if (c.length === 0) continue;
    const before = lowerBound(c.time, from, 0, c.length);
    const start = from;
    // Ready after `bars` observations: ready on the first tradable bar when `bars − 1` come before it.
    if (need.bars > 1 && before < need.bars - 1) {
      const readyAt = c.time[Math.min(need.bars - 1, c.length - 1)]!;
      out.push(`${need.label} needs ${need.bars - 1} bars of history before the start, the data have ${before}: ${need.bars - 1 - before} missing, not ready until ${new Date(readyAt).toISOString().slice(0, 10)}`);
    }
    if (need.ms > 0 && c.time[0]! > start - need.ms) {
      const missingDays = (c.time[0]! - (start - need.ms)) / 86_400_000;
      out.push(`${need.label} needs ${(need.ms / 86_400_000).toFixed(1)} days of history before the start: ${missingDays.toFixed(1)} days missing`);
    }
  }
  return out;
}

/**
 * The backtest processor: walks the merged timeline of all assets (a k-way merge over per-symbol
 * cursors, no timeline array) and hands each timestamp's bars to the kernel. Resumable: `until` can be
 * called again with a later end.
 */
class Walker {
  private readonly cursor: Int32Array;
  private readonly total: number;
  private steps = 0;

  constructor(private readonly p: Prepared, private readonly opts: RunOptions) {
    this.cursor = new Int32Array(p.cols.length);
    this.total = p.cols.reduce((s, c) => s + c.length, 0);
  }

  /** Processes every timestamp ≤ min(end, range end). */
  until(end: number): void {
    const { cols, kernel } = this.p;
    const cursor = this.cursor;
    const n = cols.length;
    const stop = Math.min(end, this.p.to);
    for (;;) {
      let t = Infinity;
      for (let a = 0; a < n; a++) {
        const c = cols[a]!;
        const i = cursor[a]!;
        if (i < c.length && c.time[i]! < t) t = c.time[i]!;
      }
      if (t === Infinity || t > stop) return;
      for (let a = 0; a < n; a++) {
        const c = cols[a]!;
        const i = cursor[a]!;
        if (i < c.length && c.time[i] === t) {
          kernel.setBar(a, c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!, i);
          cursor[a] = i + 1;
        }
      }
      kernel.step(t);
      if (++this.steps % CANCEL_CHECK_STEPS === 0) {
        if (this.opts.cancel && Atomics.load(this.opts.cancel, 0) !== 0) throw new CancelledError('cancelled');
        this.opts.onProgress?.(kernel.barsSeen / this.total);
      }
    }
  }
}

/** runFast's input for a run of `plan` over `cols` (runData's columns of `data`). */
function fastInput(doc: StrategyDocument, data: MarketData, plan: Plan, cols: readonly BarColumns[], opts: RunOptions, compiledOnly?: string): FastInput {
  const { from, to } = rangeOf(doc);
  const cancel = opts.cancel;
  const check = cancel ? () => {
    if (Atomics.load(cancel, 0) !== 0) throw new CancelledError('cancelled');
  } : undefined;
  return {
    doc, plan, cols, series: data.series ?? [], from, to, warnings: dataWarnings(plan, cols, from, to, doc.settings.timeframe),
    venue: (n) => new SimulatedVenue(doc.settings.fillModel, n, venueOptions(doc.settings, data, plan.assets)),
    audit: opts.audit ?? true, record: opts.record ?? 'full', trades: opts.trades !== false, columns: opts.columns === true,
    indicatorCache: opts.indicatorCache, tickEvery: CANCEL_CHECK_STEPS, shares: opts.shares,
    venueWarnings: (v) => magnifierWarnings(doc.settings, data, v),
    tick: opts.cancel || opts.onProgress ? (f) => {
      check?.();
      opts.onProgress?.(f);
    } : undefined,
    check,
    compiledOnly,
  };
}

/**
 * Whether runBacktest takes the fast path: the plan and columns it runs there, or why the reference runs it
 * (with the plan when one was compiled). `small`: the reason a small run gives when the compiled walk cannot
 * take it (runFast then returns it instead of the kernel-assisted walk).
 */
function fastRoute(doc: StrategyDocument, data: MarketData, opts: RunOptions):
  { plan: Plan; cols: readonly BarColumns[]; small: string | undefined } | { why: string; plan: Plan | null } {
  const mode = opts.engine ?? 'auto';
  if (mode === 'reference') return { why: 'the reference engine was asked for', plan: null };
  const plan = opts.plan ?? compile(doc, { params: opts.params });
  if (opts.sizing === 'signal') return { why: 'signal-bar sizing is not covered by the fast path yet', plan };
  if (rawActionsFor(data, plan.assets, doc.settings)) {
    return { why: 'corporate actions on raw prices (splits and dividends on their ex-dates) are applied by the reference kernel only', plan };
  }
  const { cols } = runData(data, plan.assets, doc.settings);
  const bars = cols.reduce((n, c) => n + c.length, 0);
  const small = mode === 'auto' && bars < FAST_MIN_BARS
    ? `a small run (${bars} bars, under ${FAST_MIN_BARS}) that the compiled walk does not take: the fast path's set-up costs about what it saves`
    : undefined;
  if (small !== undefined && !compiledPlan(plan, (opts.audit ?? true) && (opts.record ?? 'full') === 'full')) return { why: small, plan };
  return { plan, cols, small };
}

/**
 * Part `part` of `parts` of the signal pass runBacktest(doc, data, opts) runs on the fast path (SignalShare):
 * the engine pool computes the parts on several workers at once and hands them to the run (RunOptions.shares).
 * Null where that run would not use them: the reference runs it, or it keeps its indicator columns.
 */
export function signalShare(doc: StrategyDocument, data: MarketData, part: number, parts: number, opts: RunOptions = {}): SignalShare | null {
  if (!(Number.isInteger(parts) && parts >= 1 && Number.isInteger(part) && part >= 0 && part < parts)) throw new RangeError(`signal share ${part} of ${parts}`);
  const route = fastRoute(doc, data, opts);
  return 'cols' in route ? fastSignalShare(fastInput(doc, data, route.plan, route.cols, opts), part, parts) : null;
}

/**
 * Backtests `doc` on `data`. The result's `trades` (and on the compiled walk its `orders` and `signals`) are
 * kept as the run's columns and made into objects on first read (result.ts lazyProperty): ordinary enumerable
 * properties to every reader, which a caller that reads only the statistics never pays for.
 */
export function runBacktest(doc: StrategyDocument, data: MarketData, opts: RunOptions = {}): RunResult {
  const route = fastRoute(doc, data, opts);
  let why: string;
  if ('cols' in route) {
    // compiledOnly given to fastInput, not spread over its result: the line was 0.6–0.8 % of a W1 candidate's profile.
    const fast = runFast(fastInput(doc, data, route.plan, route.cols, opts, route.small));
    if (typeof fast !== 'string') {
      opts.onProgress?.(1);
      return fast;
    }
    why = fast;
  } else {
    why = route.why;
  }
  if (route.plan !== null) opts = { ...opts, plan: route.plan };
  const p = prepare(doc, data, opts);
  new Walker(p, opts).until(Infinity);
  if (p.kernel.recorder.length === 0) throw new RunError('no bars in the selected range');
  p.kernel.venue.finish();
  if (doc.settings.closeAtEnd) p.kernel.closeAtEnd();
  opts.onProgress?.(1);
  const result = buildResult(p.kernel, [...p.warnings, ...magnifierWarnings(doc.settings, data, p.kernel.venue)], opts.record === 'stats', undefined, undefined, true, opts.trades !== false);
  releaseRecorder(p.kernel.recorder);
  result.engine = 'reference';
  // Said so a user (and the CSP test) can tell: the same numbers, decided by the interpreter instead of generated code.
  result.engineNote = canGenerate() ? why : `${why}; conditions and expressions interpreted (this page blocks generated code: CSP without 'unsafe-eval')`;
  return result;
}

/**
 * Why each strategy did or did not act at `time` (the last timestamp at or before it): the run is
 * deterministic, so replaying up to that bar and evaluating it with tracing on gives the exact answer.
 */
export function explain(doc: StrategyDocument, data: MarketData, time: number, opts: RunOptions = {}): Explanation[] {
  return explainAt(doc, data, [time], opts)[0]!;
}

/** The bar a time explains: the latest bar at or before it, over all assets. */
function lastBarAt(cols: readonly BarColumns[], time: number): number {
  let last = -Infinity;
  for (const c of cols) {
    const i = upperBound(c.time, time, 0, c.length) - 1;
    if (i >= 0) last = Math.max(last, c.time[i]!);
  }
  if (last === -Infinity) throw new RunError(`no bar at or before ${new Date(time).toISOString()}`);
  return last;
}

/** Explainer walks: started from the first bar, walked on from the last one asked, answered again (tests read them). */
export const explainWalks = { starts: 0, continued: 0, repeated: 0 };

/**
 * explain at one time after another on one document and data set (a worker's audit session): a bar later than
 * the last one asked is reached by walking on from there, not from the first bar (explaining W2's last signal
 * is a whole run's walk: seconds), the same bar is answered again, an earlier one starts a new walk. Each
 * answer is explain's: the walk is the same whichever bars it stops at, since explaining only records.
 * Holds the walk's kernel (its logs and per-step record) until close().
 */
export class Explainer {
  private p: Prepared | null = null;
  private walker: Walker | null = null;
  private readonly walkOpts: RunOptions;
  private readonly cancel: Int32Array | undefined;
  private last = -Infinity;
  private answer: Explanation[] = [];

  constructor(private readonly doc: StrategyDocument, private readonly data: MarketData, opts: RunOptions = {}) {
    this.walkOpts = { ...opts, audit: false };
    this.cancel = opts.cancel;
  }

  /** The bar `time` explains: the latest bar at or before it, over all assets. */
  barOf(time: number): number {
    return lastBarAt(this.prepared().cols, time);
  }

  /** explain(doc, data, time); `cancel` (default: the options') stops the walk, and the next call starts afresh. */
  at(time: number, cancel = this.cancel): Explanation[] {
    try {
      const bar = this.barOf(time);
      if (bar === this.last) {
        explainWalks.repeated++;
        return this.answer;
      }
      if (bar < this.last) this.close();
      if (this.walker === null) {
        this.walker = new Walker(this.prepared(), this.walkOpts);
        explainWalks.starts++;
      } else {
        explainWalks.continued++;
      }
      this.walkOpts.cancel = cancel;
      const kernel = this.p!.kernel;
      this.walker.until(bar - 1);
      const out: Explanation[] = [];
      kernel.explanations = out;
      this.walker.until(bar);
      kernel.explanations = null;
      this.last = bar;
      this.answer = out;
      return out;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Lets the walk go (its recorder back to the pool); the next at() starts from the first bar. */
  close(): void {
    if (this.p !== null) releaseRecorder(this.p.kernel.recorder);
    this.p = null;
    this.walker = null;
    this.last = -Infinity;
    this.answer = [];
  }

  // The columns runs did not keep (fast/transient.ts: W2's 110 MB of averages) stream in the kernel, as the
  // reference computes them: an explanation adds no column to the worker's memory.
  private prepared(): Prepared {
    return (this.p ??= prepare(this.doc, this.data, this.walkOpts, true));
  }
}

/**
 * explain for many times in one pass over the data (what the audit needs for a page of signals): result i
 * explains times[i]. Re-evaluating is deterministic, so the trace of a strategy that fired at t is the
 * trace its signal recorded (test/unit/engine/explain-traces.test.ts).
 */
export function explainAt(doc: StrategyDocument, data: MarketData, times: readonly number[], opts: RunOptions = {}): Explanation[][] {
  const e = new Explainer(doc, data, opts);
  try {
    const bars = times.map((t) => e.barOf(t));
    const at = new Map<number, Explanation[]>();
    for (const bar of [...new Set(bars)].sort((a, b) => a - b)) at.set(bar, e.at(bar));
    return bars.map((b) => at.get(b)!);
  } finally {
    e.close();
  }
}
