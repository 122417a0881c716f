/**
 * trading-signals fixtures: the published Bollinger data set, and the 100-candle fixture run through the
 * trading-signals package itself (v8, a dev dependency) as the reference. Uses ../shared/data; skipped
 * with a notice when absent.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import * as TS from 'trading-signals';
import { ATR, Bollinger, EMA, MACD, ROC, RSI, SMA, WMA } from '../../../src/indicators/index.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';
import { expectSeries, feed } from './feed.ts';

warnIfNoSharedData('trading-signals fixtures');

type Candle = { open: string; high: string; low: string; close: string };
const json = (file: string) => JSON.parse(readFileSync(sharedDataPath('indicators', file), 'utf8'));

/** Their outputs from their first non-null result on. */
function theirs(n: number, step: (i: number) => number | null | undefined): { from: number; values: number[] } {
  const out = Array.from({ length: n }, (_, i) => step(i) ?? NaN);
  const from = out.findIndex((x) => !Number.isNaN(x));
  return { from, values: out.slice(from) };
}

describe.skipIf(!SHARED_DATA)('trading-signals fixtures (shared data)', () => {
  it('Bollinger(20, 2), population std dev: bb-data published values', () => {
    const d = json('trading-signals-bb-data.json') as Record<'prices' | 'middle' | 'upper' | 'lower', (number | null)[]>;
    const prices = d.prices as number[];
    const from = d.middle.findIndex((x) => x !== null);
    for (const band of ['middle', 'upper', 'lower'] as const) {
      const out = feed(new Bollinger({ bars: 20 }, 2), prices, (b) => (band === 'middle' ? b.value : b[band]));
      expectSeries(out, d[band].slice(from) as number[], 19, 1e-9);
    }
  });

  const candles = SHARED_DATA ? (json('trading-signals-100-candles.json') as Candle[]) : [];
  const close = candles.map((c) => Number(c.close));
  const high = candles.map((c) => Number(c.high));
  const low = candles.map((c) => Number(c.low));
  const n = candles.length;
  const tol = 1e-9 * Math.max(...close);

  it.each([
    ['SMA', () => new SMA({ bars: 14 }), () => { const t = new TS.SMA(14); return (i: number) => t.add(close[i]!); }],
    ['WMA', () => new WMA({ bars: 14 }), () => { const t = new TS.WMA(14); return (i: number) => t.add(close[i]!); }],
    ['EMA seed "first"', () => new EMA({ bars: 14 }), () => {
      const t = new TS.EMA(14);
      return (i: number) => (t.add(close[i]!), t.isStable ? t.getResult() : null);
    }],
    ['RSI Wilder', () => new RSI({ bars: 14 }), () => { const t = new TS.RSI(14); return (i: number) => t.add(close[i]!); }],
    ['ROC (theirs × 100)', () => new ROC({ bars: 14 }), () => {
      const t = new TS.ROC(14);
      return (i: number) => { const r = t.add(close[i]!); return r === null ? null : 100 * r; };
    }],
    ['ATR firstBar "range"', () => new ATR({ bars: 14 }), () => {
      const t = new TS.ATR(14);
      return (i: number) => t.add({ high: high[i]!, low: low[i]!, close: close[i]! });
    }],
  ] as const)('%s(14) on the 100 candles matches trading-signals', (_, ours, reference) => {
    const step = reference();
    const ref = theirs(n, step);
    expectSeries(feed(ours(), close, (x) => x.value, high, low), ref.values, ref.from, tol);
  });

  it('MACD(12, 26, 9) seed "first" matches trading-signals from our ready index on', () => {
    const t = new TS.MACD(new TS.EMA(12), new TS.EMA(26), new TS.EMA(9));
    const refs = close.map((c) => t.add(c));
    const ready = 26 + 9 - 2;
    for (const key of ['macd', 'signal', 'histogram'] as const) {
      const out = feed(new MACD({ bars: 12 }, { bars: 26 }, { bars: 9 }), close, (m) => (key === 'macd' ? m.value : m[key]));
      expectSeries(out, refs.slice(ready).map((r) => r![key]), ready, tol);
    }
  });
});
