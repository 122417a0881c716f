import { describe, expect, it } from 'vitest';
import { allocBars } from '../../../src/data/columns.ts';
import { resample } from '../../../src/data/resample.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';

const iso = (t: number | undefined) => new Date(t!).toISOString();

function minutes(startIso: string, n: number) {
  const b = allocBars('M', '1m', n);
  const t0 = Date.parse(startIso);
  for (let i = 0; i < n; i++) {
    b.time[i] = t0 + i * 60_000;
    b.open[i] = 100 + i;
    b.high[i] = 101 + i;
    b.low[i] = 99 + i;
    b.close[i] = 100.5 + i;
    b.volume[i] = 1;
  }
  return b;
}

describe('resample', () => {
  it('aggregates OHLCV into 5m buckets aligned on the clock', () => {
    const r = resample(minutes('2021-01-04T14:32:00Z', 10), '5m');
    expect(Array.from(r.time).map(iso)).toEqual(['2021-01-04T14:30:00.000Z', '2021-01-04T14:35:00.000Z', '2021-01-04T14:40:00.000Z']);
    expect([r.open[0], r.high[0], r.low[0], r.close[0], r.volume[0]]).toEqual([100, 103, 99, 102.5, 3]);
    expect(r.timeframe).toBe('5m');
  });

  it('keys daily bars to the New York session date and can keep regular hours only', () => {
    // 2021-01-04 04:00 to 20:00 New York (09:00 to 01:00 UTC next day): one session date.
    const b = minutes('2021-01-04T09:00:00Z', 16 * 60);
    const all = resample(b, '1d');
    expect(all.length).toBe(1);
    expect(iso(all.time[0])).toBe('2021-01-04T00:00:00.000Z');
    expect(all.volume[0]).toBe(960);
    const rth = resample(b, '1d', { regularHoursOnly: true });
    expect(rth.volume[0]).toBe(390);
    expect(rth.open[0]).toBe(b.open[330]);
    const hours = resample(b, '1h', { regularHoursOnly: true });
    expect(iso(hours.time[0])).toBe('2021-01-04T14:00:00.000Z');
    expect(hours.volume[0]).toBe(30);
    expect(hours.length).toBe(7);
  });

  it('keeps the totals of a synthetic year at 15m', () => {
    const [b] = generateMinuteBars({ symbols: 1, years: 0.1, seed: 2 });
    const r = resample(b!, '15m');
    let v1 = 0, v2 = 0;
    for (let i = 0; i < b!.length; i++) v1 += b!.volume[i]!;
    for (let i = 0; i < r.length; i++) v2 += r.volume[i]!;
    expect(v2).toBe(v1);
    expect(r.length).toBeGreaterThan(25 * 26 - 5);
  });
});
