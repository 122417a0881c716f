import { describe, expect, it } from 'vitest';
import { asOf, asOfIndex, AsOfCursor } from '../../../src/data/asof.ts';
import { loadEmbeddedBars } from '../../../src/data/node/embedded.ts';
import { Zone } from '../../../src/lib/zone.ts';

describe('as-of lookup', () => {
  const s = { name: 'eps', symbol: 'A', length: 3, time: new Float64Array([10, 20, 30]), value: new Float64Array([1, 2, 3]) };
  it('returns the last value known at t, never a later one', () => {
    expect([5, 10, 19, 20, 31].map((t) => asOf(s, t))).toEqual([NaN, 1, 1, 2, 3]);
    expect(asOfIndex(s, 9)).toBe(-1);
    const c = new AsOfCursor(s);
    expect([5, 10, 25, 30, 12, 40].map((t) => c.at(t))).toEqual([NaN, 1, 2, 3, 1, 3]);
  });
});

describe('Zone', () => {
  it('converts New York wall times across DST, gaps forward, overlaps to the earlier instant', () => {
    const ny = new Zone('America/New_York');
    const utc = (s: string) => new Date(ny.toUtc(Date.parse(`${s}Z`))).toISOString();
    expect(utc('2021-03-14T02:30:00')).toBe('2021-03-14T07:30:00.000Z');
    expect(utc('2021-11-07T01:30:00')).toBe('2021-11-07T05:30:00.000Z');
    expect(utc('2021-07-01T09:30:00')).toBe('2021-07-01T13:30:00.000Z');
    expect(ny.offsetAt(Date.parse('2021-03-14T06:59:00Z'))).toBe(-5 * 3_600_000);
    expect(ny.offsetAt(Date.parse('2021-03-14T07:00:00Z'))).toBe(-4 * 3_600_000);
    expect(() => new Zone('Mars/Base')).toThrow(/Mars\/Base/);
  });
});

describe('embedded data (vega-datasets)', () => {
  it('S&P 500 daily 2000–2020 and five monthly stocks load from node_modules', async () => {
    const [spx, ...stocks] = await loadEmbeddedBars();
    expect(spx).toMatchObject({ symbol: 'SPX', timeframe: '1d', length: 5105 });
    expect(new Date(spx!.time[0]!).toISOString()).toBe('2000-01-03T00:00:00.000Z');
    expect([spx!.open[0], spx!.close[0], spx!.volume[0]]).toEqual([1469.25, 1455.219971, 931800000]);
    expect(stocks.map((s) => s.symbol).sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    const msft = stocks.find((s) => s.symbol === 'MSFT')!;
    expect(msft).toMatchObject({ timeframe: '1mo', length: 123 });
    expect([msft.open[0], msft.close[0]]).toEqual([39.81, 39.81]);
  });
});
