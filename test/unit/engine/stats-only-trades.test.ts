/**
 * RunOptions.trades: false (with record 'stats') leaves a result's trades empty, for the optimizers, which
 * read only `stats`: the run then copies nothing out of its trade log (that copy was a third of a W3 run's
 * CPU in garbage collection). Pinned: the statistics are the same as with trades, on every engine; the
 * default stats-only result still has its trades; and a run after a trades: false run, which takes the
 * same pooled trade log, has its own trades.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest, type RunOptions } from '../../../src/engine/index.ts';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { same } from '../../helpers/same-bits.ts';

const n = 30_000;
const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 2, 14, 30) + i * 60_000);
const close = Float64Array.from({ length: n }, (_, i) => 100 + 6 * Math.sin(i / 40) + 2 * Math.sin(i / 7));
const bars = {
  symbol: 'A', timeframe: '1m', length: n, time, open: close.map((x, i) => x + Math.cos(i) * 0.05), high: close.map((x) => x + 0.2), low: close.map((x) => x - 0.2), close,
  volume: close.map(() => 1000),
};
const data = { bars: [bars] };

function crossDoc(fast: number, slow: number): StrategyDocument {
  const sma = (b: number) => ({ kind: 'sma' as const, asset: 'A', window: { bars: b } });
  const r = parseDocument({
    version: 1, name: 'cross', settings: { universe: ['A'], timeframe: '1m', initialCash: 10_000, fees: { fraction: 0.001 }, units: 'fractional', allowShort: true },
    strategies: [
      { id: 'up', name: 'up', condition: { lhs: sma(fast), op: 'crossesAbove', rhs: sma(slow) }, action: { type: 'setWeight', asset: 'A', weight: 1 } },
      { id: 'down', name: 'down', condition: { lhs: sma(fast), op: 'crossesBelow', rhs: sma(slow) }, action: { type: 'setWeight', asset: 'A', weight: -1 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

describe('stats-only runs without trades (RunOptions.trades: false)', () => {
  for (const engine of ['fast', 'reference'] as const) {
    it(`${engine}: the same statistics as with trades, and no trades`, () => {
      const doc = crossDoc(5, 30);
      const opts: RunOptions = { audit: false, record: 'stats', engine };
      const without = runBacktest(doc, data, { ...opts, trades: false });
      const withTrades = runBacktest(doc, data, opts);
      expect(without.engine).toBe(engine);
      expect(withTrades.stats.tradeCount).toBeGreaterThan(50);
      expect(same(without.stats, withTrades.stats, 'stats')).toBeNull();
      expect(without.trades).toEqual([]);
      expect(withTrades.trades).toHaveLength(withTrades.stats.tradeCount);
    });
  }

  it('a run after a trades: false run (same pooled trade log) keeps its own trades', () => {
    const a = crossDoc(5, 30), b = crossDoc(8, 50);
    const alone = runBacktest(b, data, { audit: false, record: 'full', engine: 'reference' });
    runBacktest(a, data, { audit: false, record: 'stats', trades: false, engine: 'fast' });
    const after = runBacktest(b, data, { audit: false, record: 'stats', engine: 'fast' });
    runBacktest(a, data, { audit: false, record: 'stats', trades: false, engine: 'fast' });
    expect(same(after.trades, alone.trades, 'trades')).toBeNull();
    expect(same(after.stats, alone.stats, 'stats')).toBeNull();
  });
});
