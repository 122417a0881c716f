/** Uses ../shared/data (technicalindicators_vectors.json); skipped with a notice when absent. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATR, Bollinger, EMA, MACD, RSI, SMA } from '../../../src/indicators/index.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';
import { expectSeries, feed } from './feed.ts';

warnIfNoSharedData('technicalindicators reference vectors');

interface Vec<E = number> { params: Record<string, number>; input: Record<string, number[]>; expected: E[] }
type Vectors = {
  sma: Vec; ema: Vec; rsi: Vec; rsi_flat: Vec; atr: Vec; wilder_smoothing: Vec;
  bbands: Vec<{ lower: number; middle: number; upper: number }>;
  macd: Vec<{ MACD: number; signal?: number; histogram?: number }>;
};

describe.skipIf(!SHARED_DATA)('technicalindicators vectors (shared data)', () => {
  const v = (SHARED_DATA ? JSON.parse(readFileSync(sharedDataPath('indicators', 'technicalindicators_vectors.json'), 'utf8')).vectors : {}) as Vectors;
  const n = (x: Vec<unknown>, k: string) => x.params[k]!;

  it('SMA: first value at index N−1', () => {
    const out = feed(new SMA({ bars: n(v.sma, 'period') }), v.sma.input.close!);
    expectSeries(out, v.sma.expected, n(v.sma, 'period') - 1, 1e-9);
  });

  it('EMA seed "sma" (technicalindicators/StockCharts convention): first value at index N−1', () => {
    const out = feed(new EMA({ bars: n(v.ema, 'period') }, 'sma'), v.ema.input.close!);
    expectSeries(out, v.ema.expected, n(v.ema, 'period') - 1, 1e-9);
  });

  it.each(['rsi', 'rsi_flat'] as const)('RSI Wilder (%s, rounded to 2 dp): first value at index N', (key) => {
    const x = v[key];
    const out = feed(new RSI({ bars: n(x, 'period') }), x.input.close!);
    expectSeries(out, x.expected, n(x, 'period'), 0.005 + 1e-9);
  });

  it('Bollinger, population std dev, k = 2', () => {
    const b = new Bollinger({ bars: n(v.bbands, 'period') }, n(v.bbands, 'stdDev'));
    const from = n(v.bbands, 'period') - 1;
    const close = v.bbands.input.close!;
    expectSeries(feed(b, close), v.bbands.expected.map((e) => e.middle), from, 1e-9);
    b.reset();
    expectSeries(feed(b, close, (i) => i.upper), v.bbands.expected.map((e) => e.upper), from, 1e-9);
    b.reset();
    expectSeries(feed(b, close, (i) => i.lower), v.bbands.expected.map((e) => e.lower), from, 1e-9);
  });

  it('MACD with seed "sma" for all three EMAs (technicalindicators SimpleMA* = false): ready with the signal', () => {
    const p = v.macd.params;
    const m = new MACD({ bars: p.fastPeriod! }, { bars: p.slowPeriod! }, { bars: p.signalPeriod! }, 'sma');
    const close = v.macd.input.close!;
    const lineStart = close.length - v.macd.expected.length;
    const withSignal = v.macd.expected.filter((e) => e.signal !== undefined);
    const from = close.length - withSignal.length;
    expect(from).toBe(lineStart + p.signalPeriod! - 1);
    expect(m.warmupBars).toBe(from + 1);
    const line = feed(m, close, (i) => i.value);
    expectSeries(line, withSignal.map((e) => e.MACD), from, 1e-9);
    m.reset();
    expectSeries(feed(m, close, (i) => i.signal), withSignal.map((e) => e.signal!), from, 1e-9);
    m.reset();
    expectSeries(feed(m, close, (i) => i.histogram), withSignal.map((e) => e.histogram!), from, 1e-9);
  });

  it('ATR firstBar "skip" (technicalindicators convention): first value at index N', () => {
    const { high, low, close } = v.atr.input;
    const out = feed(new ATR({ bars: n(v.atr, 'period') }, 'skip'), close!, (i) => i.value, high, low);
    expectSeries(out, v.atr.expected, n(v.atr, 'period'), 1e-9);
  });

  it('WilderSmoothing (running-sum variant) = N × our Wilder average (ATR of TR = x)', () => {
    const period = n(v.wilder_smoothing, 'period');
    const xs = v.wilder_smoothing.input.values!;
    const zeros = xs.map(() => 0);
    const out = feed(new ATR({ bars: period }), zeros, (i) => i.value * period, xs, zeros);
    expectSeries(out, v.wilder_smoothing.expected, period - 1, 1e-9);
  });
});
