import { describe, expect, it } from 'vitest';
import { generateMinuteBars } from '../../src/data/index.ts';
import { IndicatorCache, runBacktest } from '../../src/engine/index.ts';
import { parseDocument } from '../../src/schema/index.ts';
import { compile } from '../../src/strategy/index.ts';

const r = parseDocument({
  version: 1, name: 'cache', settings: { universe: ['S0', 'S1'], timeframe: '1m', units: 'fractional', allowShort: true },
  parameters: { n: { default: 20, min: 5, max: 60, step: 5 } },
  strategies: [
    { id: 'x', name: 'x', condition: { lhs: { kind: 'ema', window: { bars: { $param: 'n' } } }, op: 'crossesAbove', rhs: { kind: 'bollinger', window: { duration: '2h' }, band: 'middle' } }, action: { type: 'setWeight', weight: 0.5 } },
    { id: 'y', name: 'y', condition: { lhs: { kind: 'rsi', asset: 'S1', window: { bars: 14 } }, op: '<', rhs: 30 }, action: { type: 'setWeight', asset: 'S1', weight: -0.5 } },
    { id: 'z', name: 'z', condition: { lhs: { kind: 'macd', asset: 'S1', fast: { bars: 12 }, slow: { bars: 26 }, signal: { bars: 9 }, output: 'histogram' }, op: '>', rhs: 0 }, action: { type: 'closeAll' } },
    { id: 'w', name: 'w', condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'rebalance', universe: { candidates: ['S0', 'S1'], weighting: { kind: 'inverseVolatility', window: { bars: 30 } } } } },
  ],
});
if (!r.ok) throw new Error(JSON.stringify(r.errors));
const doc = r.doc;
const data = { bars: generateMinuteBars({ symbols: ['S0', 'S1'], years: 0.02, seed: 7 }) };

describe('IndicatorCache', () => {
  it('precomputed columns give bit-identical runs to streaming indicators', () => {
    const cache = new IndicatorCache();
    for (const n of [10, 20, 40]) {
      const plain = runBacktest(doc, data, { params: { n } });
      const cached = runBacktest(doc, data, { params: { n }, indicatorCache: cache });
      expect(cached.trades.length).toBeGreaterThan(0);
      expect(cached.stats).toEqual(plain.stats);
      expect(cached.trades).toEqual(plain.trades);
      expect(cached.signals).toEqual(plain.signals);
    }
  });

  it('computes an indicator shared by candidates once', () => {
    const cache = new IndicatorCache();
    for (const n of [10, 20, 40]) runBacktest(doc, data, { params: { n }, indicatorCache: cache, audit: false });
    const perRun = compile(doc).indicators.length;
    // EMA(n) differs per candidate; the Bollinger, RSI, MACD and return-volatility columns are shared.
    expect(cache.misses).toBe(perRun - 1 + 3);
    expect(cache.hits).toBe(2 * (perRun - 1));
  });
});

describe('IndicatorCache keys', () => {
  it('regression: a slice of the same symbol never reuses the whole series\' columns', () => {
    const cache = new IndicatorCache();
    const whole = data.bars[0]!;
    const half = { ...whole, length: Math.floor(whole.length / 2), time: whole.time.subarray(0, Math.floor(whole.length / 2)) };
    const pi = compile(doc).indicators[0]!;
    const a = cache.get(pi, whole);
    const b = cache.get(pi, half);
    expect(b).not.toBe(a);
    expect(b[0]!.length).toBe(half.length);
    expect(cache.get(pi, half)).toBe(b);
    expect(cache.size).toBe(2);
  });
});

describe("record: 'stats'", () => {
  it('gives the same statistics and trades with no signal/order log and no curves', () => {
    const full = runBacktest(doc, data, {});
    const lean = runBacktest(doc, data, { record: 'stats', audit: false });
    expect(lean.stats).toEqual(full.stats);
    expect(lean.trades).toEqual(full.trades);
    expect(full.signals.length).toBeGreaterThan(0);
    expect([lean.signals.length, lean.orders.length, lean.curves.equity.length]).toEqual([0, 0, 0]);
  });
});
