/**
 * StockCharts worked examples and a NinjaTrader SMA export (from pyalgotrade). Uses ../shared/data;
 * skipped with a notice when absent.
 */
import { describe, it } from 'vitest';
import { EMA, RSI, SMA } from '../../../src/indicators/index.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';
import { expectSeries, feed, printedTolerance, readInputExpected } from './feed.ts';

warnIfNoSharedData('StockCharts / NinjaTrader reference vectors');

function firstDefined(xs: readonly number[]): number {
  return xs.findIndex((x) => !Number.isNaN(x));
}

describe.skipIf(!SHARED_DATA)('StockCharts / NinjaTrader vectors (shared data)', () => {
  const load = (file: string) => readInputExpected(sharedDataPath('indicators', file));

  it.each([['sc-sma-10.csv', 10], ['nt-sma-15.csv', 15]] as const)('SMA %s: first value at index N−1', (file, n) => {
    const { input, expected } = load(file);
    const from = firstDefined(expected);
    expectSeries(feed(new SMA({ bars: n }), input), expected.slice(from), n - 1, printedTolerance);
  });

  it('EMA(10) seed "sma" (StockCharts convention): first value at index N−1', () => {
    const { input, expected } = load('sc-ema-10.csv');
    const from = firstDefined(expected);
    expectSeries(feed(new EMA({ bars: 10 }, 'sma'), input), expected.slice(from), 9, printedTolerance);
  });

  it('RSI(14) Wilder (StockCharts convention): first value at index N', () => {
    const { input, expected } = load('rsi-test.csv');
    const from = firstDefined(expected);
    expectSeries(feed(new RSI({ bars: 14 }), input), expected.slice(from), 14, printedTolerance);
  });
});
