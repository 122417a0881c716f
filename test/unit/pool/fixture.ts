/** Documents and seeded synthetic data shared by the Node and Chromium pool tests. */
import { afterEach, expect } from 'vitest';
import { generateMinuteBars, resample } from '../../../src/data/index.ts';
import type { EnginePool } from '../../../src/rpc/pool.ts';
import { parseDocument, type BarColumns, type RunResult, type StrategyDocument, type StrategyDocumentInput } from '../../../src/schema/index.ts';

export function parse(input: StrategyDocumentInput): StrategyDocument {
  const r = parseDocument(input);
  if (!r.ok) throw new Error(`fixture document invalid: ${JSON.stringify(r.errors)}`);
  return r.doc;
}

/** A run as the pool returns it by default (results as columns): the same, with no condition trace on its signals. */
export function withoutTraces(r: RunResult): RunResult {
  return { ...r, signals: r.signals.map(({ trace: _, ...s }) => s) };
}

/**
 * A result as the pool returns it, to compare with a run in the page: signals without traces, and without
 * which engine ran. A pool run keeps no trace, so the compiled walk takes documents (rebalances, portfolio
 * operands) that a run with traces gives the reference; their results are the same by the differential
 * tests (test/property/fast-engine.test.ts), and only `engine` and `engineNote` say which ran.
 */
export function asPoolRun(r: RunResult): Omit<RunResult, 'engine' | 'engineNote'> {
  const { engine: _e, engineNote: _n, ...rest } = withoutTraces(r);
  return rest;
}

/** Two symbols, 4 years of daily bars (resampled from seeded minutes). */
export function dailyBars(): BarColumns[] {
  return generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 4, seed: 7, gaps: true }).map((b) => resample(b, '1d'));
}

/** Two strategies on AAA sharing one portfolio with a monthly rebalance over both symbols. */
export function crossDoc(): StrategyDocument {
  const sma = (w: unknown) => ({ kind: 'sma', asset: 'AAA', window: { bars: w as number } });
  return parse({
    version: 1, name: 'pool fixture',
    settings: { universe: ['AAA', 'BBB'], timeframe: '1d', initialCash: 10_000, fees: { fraction: 0.001 }, units: 'whole', allowShort: true },
    parameters: { fast: { default: 10, min: 2, max: 60, step: 1 }, slow: { default: 30, min: 10, max: 200, step: 5 } },
    strategies: [
      { id: 'up', name: 'fast above slow', condition: { lhs: sma({ $param: 'fast' }), op: 'crossesAbove', rhs: sma({ $param: 'slow' }) }, action: { type: 'setWeight', asset: 'AAA', weight: 0.6 } },
      { id: 'down', name: 'fast below slow', condition: { lhs: sma({ $param: 'fast' }), op: 'crossesBelow', rhs: sma({ $param: 'slow' }) }, action: { type: 'setWeight', asset: 'AAA', weight: -0.3 } },
      { id: 'monthly', name: 'monthly rebalance', condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 }, action: { type: 'rebalance', universe: { candidates: ['AAA', 'BBB'], weighting: { kind: 'equal' }, totalWeight: 0.3 } } },
    ],
  });
}

/**
 * Keeps a run's indicator columns: a monthly rebalance that ranks its candidates reads every slot, so no
 * column is transient (src/engine/fast/transient.ts). What the tests of columns sent ahead and spread count.
 */
const RANKED_MONTHLY = (candidates: string[]): StrategyDocumentInput['strategies'][number] => ({
  id: 'ranked', name: 'monthly, the highest close', condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 },
  action: { type: 'rebalance', universe: { candidates, sort: { by: { kind: 'price', asset: '$asset', field: 'close' }, order: 'desc' }, limit: 1, weighting: { kind: 'equal' }, totalWeight: 0.2 } },
});

/**
 * crossDoc plus an RSI alert on BBB, so both assets have indicator columns, and a ranked monthly rebalance so
 * runs keep them (`prices`: the settings' price mode).
 */
export function crossDocBothAssets(prices?: 'raw' | 'adjusted'): StrategyDocument {
  const base = crossDoc();
  return parse({
    ...base, settings: { ...base.settings, ...(prices ? { prices } : {}) },
    strategies: [
      ...base.strategies,
      { id: 'rsi', name: 'BBB oversold', condition: { lhs: { kind: 'rsi', asset: 'BBB', window: { bars: 14 } }, op: '<', rhs: 30 }, action: { type: 'alert', message: 'BBB oversold' } },
      RANKED_MONTHLY(['AAA', 'BBB']),
    ],
  });
}

/** A fast/slow SMA cross with a reversal on minute bars: ~8k bars per symbol, above 'auto's fast-path size. */
export function sweepDoc() {
  const sma = (w: unknown) => ({ kind: 'sma', asset: 'AAA', window: { bars: w as number } });
  return parse({
    version: 1, name: 'sweep determinism',
    settings: { universe: ['AAA', 'BBB'], timeframe: '1m', initialCash: 100_000, fees: { fraction: 0.0005 }, units: 'fractional', allowShort: true, benchmark: 'BBB' },
    parameters: { fast: { default: 4, min: 4, max: 13, step: 3 }, slow: { default: 40, min: 40, max: 60, step: 10 } },
    strategies: [
      { id: 'up', name: 'fast above slow', condition: { lhs: sma({ $param: 'fast' }), op: 'crossesAbove', rhs: sma({ $param: 'slow' }) }, action: { type: 'setWeight', asset: 'AAA', weight: 0.8 } },
      { id: 'down', name: 'fast below slow', condition: { lhs: sma({ $param: 'fast' }), op: 'crossesBelow', rhs: sma({ $param: 'slow' }) }, action: { type: 'setWeight', asset: 'AAA', weight: -0.5 } },
    ],
  });
}

/** Parameter sets for a batch: enough to keep several workers busy, each run different. */
export function paramSets(n: number): { fast: number; slow: number }[] {
  return Array.from({ length: n }, (_, i) => ({ fast: 3 + (i % 12) * 2, slow: 40 + (i % 7) * 10 }));
}

/** A run long enough to cancel mid-way: 3 symbols of minute bars and several indicators per symbol. */
export function longMinuteRun(years: number): { doc: StrategyDocument; bars: BarColumns[] } {
  const symbols = ['M1', 'M2', 'M3'];
  const bars = generateMinuteBars({ symbols, years, seed: 11, gaps: false });
  const strategies: StrategyDocumentInput['strategies'] = symbols.map((s) => ({
    id: `rsi-${s}`, name: `RSI ${s}`,
    condition: { any: [
      { lhs: { kind: 'rsi', asset: s, window: { bars: 14 } }, op: '<', rhs: 30 },
      { lhs: { kind: 'sma', asset: s, window: { bars: 50 } }, op: 'crossesAbove', rhs: { kind: 'ema', asset: s, window: { bars: 200 } } },
    ] },
    action: { type: 'setWeight', asset: s, weight: 0.2 },
  }));
  // Runs keep their columns (what the column-spreading tests count).
  strategies.push(RANKED_MONTHLY(symbols));
  return { bars, doc: parse({ version: 1, name: 'long minute run', settings: { universe: symbols, timeframe: '1m', initialCash: 100_000, units: 'fractional' }, strategies }) };
}

/** Wraps a pool factory so every pool a test makes is closed after that test. */
export function closedAfterEach<A extends unknown[]>(make: (...a: A) => EnginePool): (...a: A) => EnginePool {
  const pools: EnginePool[] = [];
  afterEach(() => { for (const p of pools.splice(0)) p.close(); });
  return (...a) => {
    const p = make(...a);
    pools.push(p);
    return p;
  };
}

/**
 * Cancels a batch of four long minute runs 300 ms in and expects an AbortError, then a small batch on the
 * same pool. No wall-clock bound: the 3 s one this had failed on a loaded machine (6.5–9.7 s) while the
 * cancel itself worked; tests never time anything, the bench does.
 */
export async function expectCancelThenServe(p: EnginePool): Promise<void> {
  const { doc, bars } = longMinuteRun(2);
  const ctl = new AbortController();
  const run = p.evaluateBatch(doc, { bars }, [{}, {}, {}, {}], { signal: ctl.signal });
  setTimeout(() => ctl.abort(), 300);
  await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  const small = await p.evaluateBatch(crossDoc(), { bars: dailyBars() }, paramSets(2));
  expect(small[0]!.tradeCount).toBeGreaterThan(0);
}
