/**
 * The benchmark workloads of DESIGN.md §4, on seeded synthetic data (src/data's generator), shared by the
 * Node benches, the browser benches and the optimizer bench.
 *
 * W1  15 years of daily bars (3,780), one asset, SMA(10/20) crossover, full statistics.
 * W2  7 assets × 10 years × 252 days × 390 minutes = 6,879,600 bars; per-asset SMA(50/200) cross, per-asset
 *     RSI(14) mean reversion, monthly equal-weight rebalance (29 strategy entries sharing one portfolio).
 * W3  1,000 parameter combinations (fast 5…100 step 5 × slow 110…600 step 10) × ~1 M minute bars (1 asset,
 *     10 years of regular sessions).
 */
import { copyBars, generateMinuteBars, resample, sharedAllocator } from '../../src/data/index.ts';
import { parseDocument, type BarColumns, type StrategyDocument, type StrategyDocumentInput } from '../../src/schema/index.ts';

export const SEED = 20_260_101;

export interface Workload {
  doc: StrategyDocument;
  data: { bars: BarColumns[] };
  bars: number;
}

function parse(input: StrategyDocumentInput): StrategyDocument {
  const r = parseDocument(input);
  if (!r.ok) throw new Error(`workload document invalid: ${JSON.stringify(r.errors)}`);
  return r.doc;
}

const smaCross = (fast: unknown, slow: unknown, asset?: string, weight = 1, short = true): StrategyDocumentInput['strategies'] => [
  {
    id: `long${asset ? `-${asset}` : ''}`, name: 'fast crosses above slow',
    condition: { lhs: { kind: 'sma', asset, window: { bars: fast as number } }, op: 'crossesAbove', rhs: { kind: 'sma', asset, window: { bars: slow as number } } },
    action: { type: 'setWeight', asset, weight },
  },
  {
    id: `short${asset ? `-${asset}` : ''}`, name: 'fast crosses below slow',
    condition: { lhs: { kind: 'sma', asset, window: { bars: fast as number } }, op: 'crossesBelow', rhs: { kind: 'sma', asset, window: { bars: slow as number } } },
    action: { type: 'setWeight', asset, weight: short ? -weight : 0 },
  },
];

let w1Cache: BarColumns | null = null;
/** 3,780 daily bars: 15 × 252 synthetic sessions of minutes, resampled to days. */
export function w1Bars(): BarColumns {
  if (!w1Cache) {
    const [minutes] = generateMinuteBars({ symbols: ['W1'], years: 15, seed: SEED, gaps: false });
    w1Cache = resample(minutes!, '1d');
  }
  return w1Cache;
}

export function w1(): Workload {
  const bars = w1Bars();
  const doc = parse({
    version: 1, name: 'W1 SMA cross',
    settings: { universe: ['W1'], timeframe: '1d', initialCash: 10_000, fees: { fraction: 0.002 }, units: 'whole', allowShort: true },
    parameters: { fast: { default: 10, min: 2, max: 50, step: 1 }, slow: { default: 20, min: 5, max: 200, step: 5 } },
    strategies: smaCross({ $param: 'fast' }, { $param: 'slow' }),
  });
  return { doc, data: { bars: [bars] }, bars: bars.length };
}

export const W2_SYMBOLS = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

export function w2Bars(): BarColumns[] {
  return generateMinuteBars({ symbols: W2_SYMBOLS, years: 10, seed: SEED, gaps: false });
}

export function w2Doc(): StrategyDocument {
  const strategies: StrategyDocumentInput['strategies'] = [];
  for (const s of W2_SYMBOLS) strategies.push(...smaCross(50, 200, s, 0.1, false));
  for (const s of W2_SYMBOLS) {
    strategies.push(
      {
        id: `rsi-buy-${s}`, name: `RSI oversold ${s}`,
        condition: { all: [
          { lhs: { kind: 'rsi', asset: s, window: { bars: 14 } }, op: '<', rhs: 30 },
          { lhs: { kind: 'position', asset: s, field: 'quantity' }, op: '=', rhs: 0 },
        ] },
        action: { type: 'buy', asset: s, amount: { unit: 'percentOfEquity', value: 5 } },
      },
      {
        id: `rsi-sell-${s}`, name: `RSI overbought ${s}`,
        condition: { all: [
          { lhs: { kind: 'rsi', asset: s, window: { bars: 14 } }, op: '>', rhs: 70 },
          { lhs: { kind: 'position', asset: s, field: 'quantity' }, op: '>', rhs: 0 },
        ] },
        action: { type: 'sell', asset: s, amount: { unit: 'all' } },
      },
    );
  }
  strategies.push({
    id: 'monthly', name: 'monthly equal weight',
    condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 },
    action: { type: 'rebalance', universe: { candidates: W2_SYMBOLS, weighting: { kind: 'equal' }, totalWeight: 0.3 } },
  });
  return parse({
    version: 1, name: 'W2 multi-strategy',
    settings: { universe: W2_SYMBOLS, timeframe: '1m', initialCash: 1_000_000, fees: { fraction: 0.0005 }, units: 'fractional' },
    strategies,
  });
}

export function w2(): Workload {
  const bars = w2Bars();
  return { doc: w2Doc(), data: { bars }, bars: bars.reduce((s, b) => s + b.length, 0) };
}

/**
 * Bar sets as the store loads them (data/codec.ts readBars, in Node and in a cross-origin isolated page): each
 * set's columns in one SharedArrayBuffer, and sets with the same times sharing one time column. V8 compiles
 * typed-array access over shared memory apart from access over plain buffers, so a bench that warms the engine
 * on one and times it on the other measures a recompile.
 */
export function asLoaded(bars: readonly BarColumns[]): BarColumns[] {
  let first: Float64Array | null = null;
  return bars.map((b) => {
    const out = copyBars(b, sharedAllocator);
    if (first === null) first = out.time;
    const t = first;
    return b.length === t.length && b.time.every((x, i) => x === t[i]) ? { ...out, time: t } : out;
  });
}

/** W3: the SMA-cross document on ~1 M minute bars, and its 1,000 parameter combinations. */
export function w3(): Workload & { params: { fast: number; slow: number }[] } {
  const [bars] = generateMinuteBars({ symbols: ['W3'], years: 10, seed: SEED + 3, gaps: false });
  const doc = parse({
    version: 1, name: 'W3 SMA cross sweep',
    settings: { universe: ['W3'], timeframe: '1m', initialCash: 100_000, fees: { fraction: 0.0005 }, units: 'fractional', allowShort: true },
    parameters: { fast: { default: 10, min: 5, max: 100, step: 5 }, slow: { default: 200, min: 110, max: 600, step: 10 } },
    strategies: smaCross({ $param: 'fast' }, { $param: 'slow' }),
  });
  const params: { fast: number; slow: number }[] = [];
  for (let fast = 5; fast <= 100; fast += 5) for (let slow = 110; slow <= 600; slow += 10) params.push({ fast, slow });
  return { doc, data: { bars: [bars!] }, bars: bars!.length, params };
}

/**
 * The floor: a plain pass over the same close columns (a running SMA-like sum and a compare per bar),
 * the least any backtest must do. Engine time ÷ floor time is reported for each workload.
 */
export function floorPass(cols: readonly BarColumns[]): number {
  let acc = 0;
  for (const c of cols) {
    const close = c.close;
    let sum = 0, above = 0;
    for (let i = 0; i < c.length; i++) {
      sum += close[i]!;
      if (i >= 20) sum -= close[i - 20]!;
      if (close[i]! * 20 > sum) above++;
    }
    acc += above + sum;
  }
  return acc;
}
