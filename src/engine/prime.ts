import { parseDocument, type BarColumns, type StrategyDocument, type StrategyDocumentInput } from '../schema/index.ts';
import { Rng } from '../lib/rng.ts';
import type { MarketData } from './market.ts';
import { MAX_ROOM } from '../lib/grow.ts';
import { primeOrdersLog } from './fast/orders-log.ts';
import { primeTradeLog } from './trade-log.ts';

/**
 * What an engine worker runs once when the page is idle (EnginePool.warm), before any user's run: a small
 * multi-asset minute backtest through the same calls a run makes, so V8 has compiled the shared code (the
 * timeline, the compiled walk, fills, statistics, result tables) before the first real run instead of during it.
 * Measured in a fresh Chromium worker on W2 (7 assets, 6.9 M bars; phase probes, not committed): its first run
 * 768–981 ms without a prime, 693–843 after this one, against 317–387 for a second run. What only a real run
 * warms stays: the document's own generated condition code and the data set's own indexes (timeline, calendar).
 *
 * The document is generic on purpose, not W2's: crosses, comparisons with a number, position and calendar
 * conditions; setWeight, buy by percent of equity, sell all and an equal-weight rebalance; over three assets
 * with one shared time column, as the store reads them. Nothing it computes is kept.
 */

const SYMBOLS = ['PRIME-A', 'PRIME-B', 'PRIME-C'];
const SESSIONS = 45;
const MINUTES = 390;
const DAY_MS = 86_400_000;
/** 2021-01-04 14:30 UTC, a Monday: the first session's first minute. */
const START = Date.UTC(2021, 0, 4, 14, 30);

/**
 * Columns in shared memory where the runtime has it, as the store reads bars into it (a typed array's builtins
 * take other paths over shared memory, so that is what gets compiled).
 */
function column(n: number): Float64Array {
  return typeof SharedArrayBuffer === 'function' ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}

/** Weekday sessions of 390 one-minute bars, one time column shared by every asset (as the store reads them). */
function sessionTimes(): Float64Array {
  const time = column(SESSIONS * MINUTES);
  let n = 0;
  for (let day = 0, s = 0; s < SESSIONS; day++) {
    const t0 = START + day * DAY_MS;
    const wd = new Date(t0).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    for (let m = 0; m < MINUTES; m++) time[n++] = t0 + m * 60_000;
    s++;
  }
  return time;
}

/** A seeded random walk per asset (src/lib/rng.ts): the same bars on every call, in every runtime. */
function walk(symbol: string, time: Float64Array, seed: number): BarColumns {
  const n = time.length;
  const open = column(n), high = column(n), low = column(n), close = column(n), volume = column(n);
  const rng = new Rng(seed);
  let p = 50 + (seed % 200);
  for (let i = 0; i < n; i++) {
    const o = p;
    // A slow swing on top of noise, so averages cross and RSI reaches its bands within a few sessions.
    p = Math.max(1, p * (1 + 0.0015 * (rng.next() - 0.5) + 0.0004 * Math.sin(i / 700 + seed)));
    const c = Math.round(p * 100) / 100;
    open[i] = Math.round(o * 100) / 100;
    close[i] = c;
    high[i] = Math.max(open[i]!, c) + 0.01;
    low[i] = Math.min(open[i]!, c) - 0.01;
    volume[i] = rng.int(1_000, 5_999);
  }
  return { symbol, timeframe: '1m', length: n, time, open, high, low, close, volume };
}

export function primeData(): MarketData {
  const time = sessionTimes();
  return { bars: SYMBOLS.map((s, k) => walk(s, time, (0x9e3779b1 * (k + 1)) >>> 0)) };
}

function strategies(): StrategyDocumentInput['strategies'] {
  const out: StrategyDocumentInput['strategies'] = [];
  for (const s of SYMBOLS) {
    const sma = (bars: number) => ({ kind: 'sma', asset: s, window: { bars } }) as const;
    const rsi = { kind: 'rsi', asset: s, window: { bars: 14 } } as const;
    const held = { kind: 'position', asset: s, field: 'quantity' } as const;
    out.push(
      { id: `up-${s}`, name: 'fast above slow', condition: { lhs: sma(20), op: 'crossesAbove', rhs: sma(60) }, action: { type: 'setWeight', asset: s, weight: 0.2 } },
      { id: `down-${s}`, name: 'fast below slow', condition: { lhs: sma(20), op: 'crossesBelow', rhs: sma(60) }, action: { type: 'setWeight', asset: s, weight: 0 } },
      {
        id: `dip-${s}`, name: 'oversold',
        condition: { all: [{ lhs: rsi, op: '<', rhs: 30 }, { lhs: held, op: '=', rhs: 0 }] },
        action: { type: 'buy', asset: s, amount: { unit: 'percentOfEquity', value: 5 } },
      },
      {
        id: `peak-${s}`, name: 'overbought',
        condition: { all: [{ lhs: rsi, op: '>', rhs: 70 }, { lhs: held, op: '>', rhs: 0 }] },
        action: { type: 'sell', asset: s, amount: { unit: 'all' } },
      },
    );
  }
  out.push({
    id: 'monthly', name: 'monthly equal weight',
    condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 },
    action: { type: 'rebalance', universe: { candidates: SYMBOLS, weighting: { kind: 'equal' }, totalWeight: 0.3 } },
  });
  return out;
}

export function primeDocument(): StrategyDocument {
  const r = parseDocument({
    version: 1, name: 'engine prime',
    settings: { universe: SYMBOLS, timeframe: '1m', initialCash: 100_000, fees: { fraction: 0.0005 }, units: 'fractional' },
    strategies: strategies(),
  });
  if (!r.ok) throw new Error(`the prime document is invalid: ${JSON.stringify(r.errors)}`);
  return r.doc;
}

/**
 * The logs a large run writes, left on this thread (each thread keeps one of each for its next run) with every
 * page written once: orders and signals at the engine's reservation cap (MAX_ROOM rows, lib/grow.ts), trades at
 * half of it (a walk reserves half its room for trades). On W2 in a Chromium worker a walk writing fresh log
 * memory took ~130 ms more than one writing memory a run before it had touched (398 against 260 ms: a rerun's
 * walk with a build that gave the logs' columns to each result, and without; 105,087 orders, 49,804 trades).
 * ~19 MB a worker, held from idle time on, as a worker holds them after any run that large. Nothing is read
 * from them: a run writes every field of each row it adds.
 */
export function primeLogs(): void {
  primeOrdersLog(MAX_ROOM);
  primeTradeLog(MAX_ROOM / 2);
}
