import { BAR_MEAN_STATE, barMeanRange, createIndicator, emaColumn, meanColumn, primeRangeKernels, rsiColumn, rsiRange, rsiState, sumsColumns, type Indicator, type WindowSpec } from '../indicators/index.ts';
import type { BarColumns } from '../schema/index.ts';
import type { Plan, PlanIndicator } from '../strategy/index.ts';

/**
 * Indicator outputs computed once per (asset bars, indicator key) as whole columns indexed by the
 * asset's bar index, then shared by every run that needs them: the candidates of an optimization batch,
 * or one run's repeated strategies. Each column is produced by a tight, monomorphic loop over one
 * indicator, which is also the fastest way to compute it.
 *
 * Keyed on the bar columns themselves (their time array, symbol and length), so one cache can serve several
 * data sets, or slices of one (walk-forward windows), without ever handing a column to the wrong bars.
 */
export class IndicatorCache {
  /**
   * By time array, then symbol: `PlanIndicator.key` names its asset by the plan's index, and two assets may
   * share one time array (aligned data built from one index), so a cache shared by plans that order their
   * universe differently handed one asset's columns to the other before the symbol was part of the lookup.
   * Prices changed under the same symbol and time array are not told apart: give them a time array of their
   * own (as backAdjust does).
   */
  private readonly byBars = new WeakMap<Float64Array, Map<string, Map<string, Float64Array[]>>>();
  private count = 0;
  hits = 0;
  misses = 0;
  /** Columns put in from elsewhere (another worker computed them: see seed). */
  seeded = 0;

  /**
   * `alloc` makes the memory of new columns: a SharedArrayBuffer lets the engine pool hand a column one
   * worker computed to the others without copying it (src/rpc/pool.ts, "columns once, shared").
   */
  constructor(private readonly alloc: (bytes: number) => ArrayBufferLike = (n) => new ArrayBuffer(n)) {}

  private columnsOf(bars: BarColumns): Map<string, Float64Array[]> {
    let symbols = this.byBars.get(bars.time);
    if (!symbols) {
      symbols = new Map();
      this.byBars.set(bars.time, symbols);
    }
    let columns = symbols.get(bars.symbol);
    if (!columns) {
      columns = new Map();
      symbols.set(bars.symbol, columns);
    }
    return columns;
  }

  /** The identity of `pi`'s columns over bars of this length (the same in every worker for the same plan). */
  static keyOf(pi: PlanIndicator, bars: BarColumns): string {
    return `${bars.length}|${pi.key}|${pi.outputs.map((o) => o.field).join(',')}`;
  }

  /** Whether `pi`'s columns over `bars` are here already (computed, or seeded from another worker). */
  has(pi: PlanIndicator, bars: BarColumns): boolean {
    return this.byBars.get(bars.time)?.get(bars.symbol)?.has(IndicatorCache.keyOf(pi, bars)) === true;
  }

  /** Output columns of `pi` (in pi.outputs order) over `bars`, computing them on first use. */
  get(pi: PlanIndicator, bars: BarColumns): Float64Array[] {
    const columns = this.columnsOf(bars);
    const key = IndicatorCache.keyOf(pi, bars);
    const hit = columns.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const cols = computeColumns(pi, bars, this.alloc);
    columns.set(key, cols);
    this.count++;
    return cols;
  }

  /** Takes columns computed elsewhere for `pi` over `bars` (they must be what get would compute: same key). */
  seed(pi: PlanIndicator, bars: BarColumns, key: string, cols: Float64Array[]): void {
    if (key !== IndicatorCache.keyOf(pi, bars) || cols.length !== pi.outputs.length) {
      throw new Error(`indicator columns ${key} do not fit ${IndicatorCache.keyOf(pi, bars)}`);
    }
    this.seedKey(bars, key, cols);
  }

  /**
   * Takes columns computed elsewhere under their key alone (an optimizer sweep's columns, which no single plan
   * holds): the key names the bar count and every output field, so columns that do not fit are refused.
   */
  seedKey(bars: BarColumns, key: string, cols: Float64Array[]): void {
    if (this.put(bars, key, cols)) this.seeded++;
  }

  /**
   * Lends columns computed elsewhere under their key for a while (a budgeted sweep's group: src/rpc/pool.ts):
   * checked as seedKey checks them, not counted as seeded, and false (nothing lent) when the key is here
   * already. The borrower evicts what it lent (evictKey) before their memory is used again.
   */
  lendKey(bars: BarColumns, key: string, cols: Float64Array[]): boolean {
    return this.put(bars, key, cols);
  }

  /** Keeps `cols` under `key` unless the key is here already (then false); refuses columns that do not fit. */
  private put(bars: BarColumns, key: string, cols: Float64Array[]): boolean {
    const fields = key.slice(key.lastIndexOf('|') + 1).split(',');
    if (!key.startsWith(`${bars.length}|`) || cols.length !== fields.length || cols.some((c) => c.length !== bars.length)) {
      throw new Error(`indicator columns ${key} do not fit ${bars.length} bars of ${bars.symbol}`);
    }
    const columns = this.columnsOf(bars);
    if (columns.has(key)) return false;
    columns.set(key, cols);
    return true;
  }

  /** Forgets the columns under `key` for these bars (a lent key once its borrower is done). */
  evictKey(bars: BarColumns, key: string): void {
    this.byBars.get(bars.time)?.get(bars.symbol)?.delete(key);
  }

  /** Precomputes every indicator of a plan (e.g. before spreading a batch over workers). */
  warm(plan: Plan, bars: readonly BarColumns[]): void {
    for (const pi of plan.indicators) this.get(pi, bars[pi.asset]!);
  }

  /** Number of columns computed so far. */
  get size(): number {
    return this.count;
  }
}

type ColumnLoop = (ind: Indicator, b: BarColumns, src: Float64Array | null, outs: Float64Array[], fields: readonly string[], onlyValue: boolean) => void;

/**
 * The column loop, one copy per indicator class. A single shared loop sees every indicator kind at its
 * `update` call and V8 deoptimizes it back and forth (measured ~5× slower on W2's 21 columns); a copy per
 * class keeps each call site monomorphic, so the update inlines. The copies come from one source through
 * `new Function`, which gives each its own feedback; without code generation (a CSP) the shared loop runs.
 */
const LOOP_SOURCE = `
  const n = b.length;
  const extra = ind;
  for (let i = 0; i < n; i++) {
    let x;
    if (src === null) {
      const prev = i > 0 ? b.close[i - 1] : NaN;
      if (!(prev > 0)) {
        for (let k = 0; k < outs.length; k++) outs[k][i] = i > 0 ? outs[k][i - 1] : NaN;
        continue;
      }
      x = b.close[i] / prev - 1;
    } else {
      x = src[i];
    }
    const v = ind.update(b.time[i], x, b.high[i], b.low[i]);
    if (onlyValue) outs[0][i] = v;
    else for (let k = 0; k < outs.length; k++) outs[k][i] = fields[k] === 'value' ? v : extra[fields[k]];
  }`;

const loops = new Map<unknown, ColumnLoop>();
let sharedLoop: ColumnLoop | null = null;

function loopFor(ind: Indicator): ColumnLoop {
  let loop = loops.get(ind.constructor);
  if (!loop) {
    try {
      loop = new Function('ind', 'b', 'src', 'outs', 'fields', 'onlyValue', LOOP_SOURCE) as ColumnLoop;
    } catch {
      // Like the streaming kernel: when the return is undefined (no previous positive close), no update and
      // the outputs keep their last values.
      sharedLoop ??= (ind, b, src, outs, fields, onlyValue) => {
        const extra = ind as unknown as Record<string, number>;
        for (let i = 0; i < b.length; i++) {
          let x: number;
          if (src === null) {
            const prev = i > 0 ? b.close[i - 1]! : NaN;
            if (!(prev > 0)) {
              for (let k = 0; k < outs.length; k++) outs[k]![i] = i > 0 ? outs[k]![i - 1]! : NaN;
              continue;
            }
            x = b.close[i]! / prev - 1;
          } else {
            x = src[i]!;
          }
          const v = ind.update(b.time[i]!, x, b.high[i]!, b.low[i]!);
          if (onlyValue) outs[0]![i] = v;
          else for (let k = 0; k < outs.length; k++) outs[k]![i] = fields[k] === 'value' ? v : extra[fields[k]!]!;
        }
      };
      loop = sharedLoop;
    }
    loops.set(ind.constructor, loop);
  }
  return loop;
}

/** Columns built so far by a whole-column kernel and by the streaming loop (tests read them, to know which ran). */
export const columnRuns = { kernel: 0, streaming: 0 };

/**
 * Columns of `pi` over `b`: by a whole-column kernel (src/indicators/columns.ts, bit-identical to the
 * streaming indicator) where one covers the spec, else by the streaming indicator.
 */
export function computeColumns(pi: PlanIndicator, b: BarColumns, alloc: (bytes: number) => ArrayBufferLike): Float64Array[] {
  const outs = kernelColumns(pi, b, alloc);
  if (outs === null) return streamingColumns(pi, b, alloc);
  columnRuns.kernel++;
  return outs;
}

/** What a kernel reads of `pi` over `b`: its window (bars or ms, 0 for the other) and its input column. */
function kernelInput(pi: PlanIndicator, w: WindowSpec, b: BarColumns): { bars: number; ms: number; barWindow: boolean; returns: boolean; input: Float64Array } {
  const bars = 'bars' in w ? w.bars : 0, ms = 'ms' in w ? w.ms : 0;
  const returns = pi.source === 'return';
  return { bars, ms, barWindow: Number.isInteger(bars) && bars >= 1, returns, input: returns ? b.close : b[pi.source] };
}

/** `pi`'s columns by a kernel, or null when no kernel covers it (other kinds, bad parameters, odd times). */
function kernelColumns(pi: PlanIndicator, b: BarColumns, alloc: (bytes: number) => ArrayBufferLike): Float64Array[] | null {
  const spec = pi.spec;
  if (spec.kind === 'macd') return null;
  const { bars, ms, barWindow, returns, input } = kernelInput(pi, spec.window, b);
  // The streaming classes' checkWindow: anything else goes to them, and they say what is wrong.
  if (!barWindow && !(ms > 0 && Number.isFinite(ms))) return null;
  const sums = spec.kind === 'stddev' || spec.kind === 'bollinger';
  if (sums && ms > 0 && !evictsBeforeNewest(b.time, b.length, ms)) return null;
  const time = ms > 0 ? b.time : null;
  const column = (): Float64Array => new Float64Array(alloc(b.length * 8));
  if (spec.kind === 'bollinger') {
    const k = spec.k ?? 2;
    if (!(Number.isFinite(k) && k >= 0)) return null;
    const outs = pi.outputs.map(column);
    const of = (field: string): Float64Array | undefined => outs[pi.outputs.findIndex((o) => o.field === field)];
    sumsColumns(input, time, b.length, bars, ms, returns, { mean: of('value'), upper: of('upper'), lower: of('lower'), k });
    return outs;
  }
  if (pi.outputs.length !== 1 || pi.outputs[0]!.field !== 'value') return null;
  const out = column();
  if (spec.kind === 'rsi') rsiColumn(input, b.time, b.length, bars, ms, out, returns);
  else if (spec.kind === 'ema' && (bars > 0 || spec.seed !== 'sma')) emaColumn(input, b.time, b.length, bars, ms, spec.seed === 'sma', out, returns);
  else if (spec.kind === 'sma') meanColumn(input, time, b.length, bars, ms, returns, out);
  else if (spec.kind === 'stddev') sumsColumns(input, time, b.length, bars, ms, returns, { std: out });
  else return null;
  return [out];
}

/** Computes an indicator's bars from where it stopped up to (not including) `to`, bar i into out[i − base]. */
export type RangeKernel = (to: number, out: Float64Array, base: number) => void;

/**
 * `pi`'s one column a range of bars at a time, where kernelColumns would compute it with a kernel that has a
 * range form (a bar-window SMA over prices; an RSI): consecutive calls give kernelColumns' column bit for bit
 * (test/property/indicator-ranges.test.ts). Null for everything else, which is computed whole.
 */
export function rangeKernel(pi: PlanIndicator, b: BarColumns): RangeKernel | null {
  const spec = pi.spec;
  if ((spec.kind !== 'sma' && spec.kind !== 'rsi') || pi.outputs.length !== 1 || pi.outputs[0]!.field !== 'value') return null;
  const { bars, ms, barWindow, returns, input } = kernelInput(pi, spec.window, b);
  primeRangeKernels();
  if (spec.kind === 'sma' && barWindow && !returns) {
    const state = new Float64Array(BAR_MEAN_STATE);
    return (to, out, base) => barMeanRange(input, bars, state, to, out, base);
  }
  if (spec.kind === 'rsi' && (barWindow || (ms > 0 && Number.isFinite(ms)))) {
    const state = rsiState(), time = b.time;
    return (to, out, base) => rsiRange(input, time, barWindow ? bars : 0, barWindow ? 0 : ms, returns, state, to, out, base);
  }
  return null;
}

/**
 * True when no time t has t − ms ≥ t (an infinite time, or ms below t's precision): there a duration window
 * would evict its newest entry and SlidingSums would read an emptied ring (it then loops for ever on stale
 * slots), which no kernel copies.
 */
export function evictsBeforeNewest(time: Float64Array, length: number, ms: number): boolean {
  for (let i = 0; i < length; i++) if (time[i]! - ms >= time[i]!) return false;
  return true;
}

/** Columns of `pi` over `b` by feeding its streaming indicator bar by bar: the reference every kernel must equal. */
export function streamingColumns(pi: PlanIndicator, b: BarColumns, alloc: (bytes: number) => ArrayBufferLike): Float64Array[] {
  columnRuns.streaming++;
  const outs = pi.outputs.map(() => new Float64Array(alloc(b.length * 8)));
  const ind = createIndicator(pi.spec);
  const fields = pi.outputs.map((o) => o.field);
  const onlyValue = fields.length === 1 && fields[0] === 'value';
  loopFor(ind)(ind, b, pi.source === 'return' ? null : b[pi.source], outs, fields, onlyValue);
  return outs;
}
