/**
 * Tulip Indicators test vectors (untest.txt: library outputs rounded to 3 dp; atoz.txt: Achelis's worked
 * examples; extra.txt). Uses ../shared/data (tulip_vectors.json); skipped with a notice when absent.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATR, Bollinger, EMA, MACD, RSI, SMA, StdDev } from '../../../src/indicators/index.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';
import { expectSeries, feed, printedTolerance } from './feed.ts';

warnIfNoSharedData('Tulip reference vectors');

interface TulipVector {
  file: string;
  line: number;
  indicator: string;
  options: Record<string, number>;
  inputs: Record<string, number[]>;
  outputs: Record<string, number[]>;
  first_output_index: number;
}

const vectors: TulipVector[] = SHARED_DATA
  ? JSON.parse(readFileSync(sharedDataPath('indicators', 'tulip_vectors.json'), 'utf8')).vectors
  : [];

const name = (v: TulipVector) => `${v.indicator} ${JSON.stringify(v.options)} (${v.file}:${v.line})`;
const named = (kind: string) => vectors.filter((v) => v.indicator === kind).map((v) => [name(v), v] as const);

function check(actual: number[], v: TulipVector, output: string, from = v.first_output_index): void {
  const expected = v.outputs[output]!;
  expectSeries(actual, expected.slice(from - v.first_output_index), from, printedTolerance);
}

describe.skipIf(!SHARED_DATA)('Tulip vectors (shared data)', () => {
  it('covers every indicator kind we implement', () => {
    expect(new Set(vectors.map((v) => v.indicator))).toEqual(
      new Set(['atr', 'bbands', 'ema', 'macd', 'rsi', 'sma', 'stddev', 'tr', 'wilders']));
  });

  it.each(named('sma'))('SMA %s: first value at index N−1', (_, v) => {
    check(feed(new SMA({ bars: v.options.period! }), v.inputs.close!), v, 'sma');
  });

  it.each(named('ema'))('EMA seed "first" (Tulip convention) %s: raw from index 0, ready at N−1', (_, v) => {
    const n = v.options.period!;
    const raw = feed(new EMA({ bars: n }), v.inputs.close!, (e) => e.raw);
    const expected = v.outputs.ema!;
    raw.forEach((r, i) => expect(Math.abs(r - expected[i]!)).toBeLessThanOrEqual(printedTolerance(expected[i]!)));
    check(feed(new EMA({ bars: n }), v.inputs.close!), v, 'ema', n - 1);
  });

  it.each(named('stddev'))('StdDev (population) %s', (_, v) => {
    check(feed(new StdDev({ bars: v.options.period! }), v.inputs.close!), v, 'stddev');
  });

  it.each(named('bbands'))('Bollinger (population std dev) %s', (_, v) => {
    const mk = () => new Bollinger({ bars: v.options.period! }, v.options.stddev!);
    check(feed(mk(), v.inputs.close!), v, 'bbands_middle');
    check(feed(mk(), v.inputs.close!, (b) => b.upper), v, 'bbands_upper');
    check(feed(mk(), v.inputs.close!, (b) => b.lower), v, 'bbands_lower');
  });

  it.each(named('rsi'))('RSI Wilder %s: first value at index N', (_, v) => {
    check(feed(new RSI({ bars: v.options.period! }), v.inputs.close!), v, 'rsi');
  });

  it.each(named('atr'))('ATR firstBar "range" (Tulip/Wilder convention) %s: first value at index N−1', (_, v) => {
    const { high, low, close } = v.inputs;
    check(feed(new ATR({ bars: v.options.period! }), close!, (a) => a.value, high, low), v, 'atr');
  });

  it.each(named('tr'))('true range = ATR over 1 bar, firstBar "range" %s', (_, v) => {
    const { high, low, close } = v.inputs;
    check(feed(new ATR({ bars: 1 }), close!, (a) => a.value, high, low), v, 'tr');
  });

  it.each(named('wilders'))('Wilder average = ATR of TR = x %s', (_, v) => {
    const xs = v.inputs.close!;
    const zeros = xs.map(() => 0);
    check(feed(new ATR({ bars: v.options.period! }), zeros, (a) => a.value, xs, zeros), v, 'wilders');
  });

  // Tulip (and Achelis's spreadsheet) replace 2/(N+1) with 0.15/0.075 for 12/26; we always use 2/(N+1).
  const macd = named('macd').filter(([, v]) => !(v.options.short_period === 12 && v.options.long_period === 26));
  it.each(macd)('MACD seed "first" (Tulip convention) %s', (_, v) => {
    const { short_period: fast, long_period: slow, signal_period: signal } = v.options;
    const mk = () => new MACD({ bars: fast! }, { bars: slow! }, { bars: signal! });
    const ready = Math.max(fast!, slow!) + signal! - 2;
    const close = v.inputs.close!;
    check(feed(mk(), close), v, 'macd', ready);
    check(feed(mk(), close, (m) => m.signal), v, 'macd_signal', ready);
    check(feed(mk(), close, (m) => m.histogram), v, 'macd_histogram', ready);
    // Before ready, the parts still reproduce Tulip's early line and signal.
    const early = feed(mk(), close, (m) => m.signalEma.raw).slice(v.first_output_index, ready);
    const published = v.outputs.macd_signal!;
    early.forEach((s, i) => expect(Math.abs(s - published[i]!)).toBeLessThanOrEqual(printedTolerance(published[i]!)));
  });
});
