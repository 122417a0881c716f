/**
 * A seeded multi-asset, multi-strategy run whose summary is checked in (fixtures/determinism.json) and must
 * come out bit-identical in Node (test/golden/determinism.test.ts) and in Chromium
 * (test/browser/determinism.test.ts): same strategy + same data + same engine version ⇒ same result.
 * Browser-safe: no Node imports.
 */
import { generateMinuteBars } from '../../src/data/index.ts';
import { runBacktest } from '../../src/engine/index.ts';
import { parseDocument, type RunResult } from '../../src/schema/index.ts';

export function determinismDoc() {
  const r = parseDocument({
    version: 1, name: 'determinism',
    settings: { universe: ['X', 'Y', 'Z'], timeframe: '1m', initialCash: 100_000, fees: { fraction: 0.0005, minimum: 1 }, slippage: { bps: 2 }, units: 'whole', allowShort: true },
    strategies: [
      { id: 'cross', name: 'EMA cross X', condition: { lhs: { kind: 'ema', asset: 'X', window: { bars: 12 } }, op: 'crossesAbove', rhs: { kind: 'sma', asset: 'X', window: { duration: '1h' } } }, action: { type: 'setWeight', asset: 'X', weight: 0.4 } },
      { id: 'uncross', name: 'EMA uncross X', condition: { lhs: { kind: 'ema', asset: 'X', window: { bars: 12 } }, op: 'crossesBelow', rhs: { kind: 'sma', asset: 'X', window: { duration: '1h' } } }, action: { type: 'setWeight', asset: 'X', weight: -0.2 } },
      { id: 'dip', name: 'RSI dip Y', condition: { all: [{ lhs: { kind: 'rsi', asset: 'Y', window: { bars: 14 } }, op: '<', rhs: 25 }, { lhs: { kind: 'position', asset: 'Y', field: 'quantity' }, op: '=', rhs: 0 }] }, action: { type: 'buy', asset: 'Y', amount: { unit: 'percentOfEquity', value: 10 } } },
      { id: 'pop', name: 'RSI pop Y', condition: { lhs: { kind: 'rsi', asset: 'Y', window: { bars: 14 } }, op: '>', rhs: 70 }, action: { type: 'sell', asset: 'Y', amount: { unit: 'all' } } },
      { id: 'band', name: 'Z below lower band', condition: { lhs: { kind: 'price', asset: 'Z', field: 'close' }, op: '<', rhs: { kind: 'bollinger', asset: 'Z', window: { bars: 30 }, band: 'lower' } }, action: { type: 'setWeight', asset: 'Z', weight: 0.2 } },
      { id: 'weekly', name: 'weekly rebalance', condition: { lhs: { kind: 'calendar', field: 'firstBarOfWeek' }, op: '=', rhs: 1 }, action: { type: 'rebalance', universe: { candidates: ['X', 'Y', 'Z'], sort: { by: { kind: 'roc', window: { bars: 60 } }, order: 'desc' }, limit: 2, weighting: { kind: 'inverseVolatility', window: { bars: 120 } }, totalWeight: 0.5 } } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

export function determinismData() {
  return { bars: generateMinuteBars({ symbols: ['X', 'Y', 'Z'], years: 0.1, seed: 424_242 }) };
}

/** 64-bit FNV-1a (two 32-bit halves) over the exact bits of numbers: any last-bit difference changes it. */
function hashNumbers(xs: Iterable<number>): string {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  let h1 = 0x811c9dc5, h2 = 0xcbf29ce4;
  for (const x of xs) {
    f[0] = x;
    h1 = Math.imul(h1 ^ u[0]!, 16_777_619) >>> 0;
    h2 = Math.imul(h2 ^ u[1]!, 16_777_619) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export interface DeterminismSummary {
  bars: number;
  trades: number;
  orders: number;
  signals: number;
  finalEquity: string;
  statsHash: string;
  tradesHash: string;
  curveHash: string;
}

/** Numbers as exact strings (17 significant digits survive JSON both ways). */
export function summarize(r: RunResult): DeterminismSummary {
  const stats = Object.keys(r.stats).sort().map((k) => r.stats[k as keyof typeof r.stats]);
  const trades = r.trades.flatMap((t) => [t.entryTime, t.exitTime, t.quantity, t.entryPrice, t.exitPrice, t.pnl, t.fees]);
  return {
    bars: r.barCount,
    trades: r.trades.length,
    orders: r.orders.length,
    signals: r.signals.length,
    finalEquity: r.stats.finalEquity.toPrecision(17),
    statsHash: hashNumbers(stats),
    tradesHash: hashNumbers(trades),
    curveHash: hashNumbers(r.curves.equity),
  };
}

export function determinismRun(): DeterminismSummary {
  return summarize(runBacktest(determinismDoc(), determinismData()));
}
