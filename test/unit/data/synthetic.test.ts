import { describe, expect, it } from 'vitest';
import { barsEqual } from '../../../src/data/columns.ts';
import { generateMinuteBars, MINUTES_PER_SESSION, sessionOpens } from '../../../src/data/synthetic.ts';
import { Zone } from '../../../src/lib/zone.ts';

describe('synthetic minute bars', () => {
  const opts = { symbols: 2, years: 0.25, seed: 7 };
  const [a, b] = generateMinuteBars(opts) as [ReturnType<typeof generateMinuteBars>[0], ReturnType<typeof generateMinuteBars>[0]];

  it('is bit-identical for a seed and differs across seeds and symbols', () => {
    const again = generateMinuteBars(opts);
    expect(barsEqual(again[0]!, a) && barsEqual(again[1]!, b)).toBe(true);
    expect(generateMinuteBars({ ...opts, seed: 8 })[0]!.close[100]).not.toBe(a.close[100]);
    expect(b.close[100]).not.toBe(a.close[100]);
  });

  it('without gaps has exactly 390 bars per session, 252 sessions a year, all in 09:30–16:00 New York', () => {
    const [x] = generateMinuteBars({ symbols: ['Q'], years: 1, gaps: false, seed: 3 });
    expect(x!.length).toBe(252 * MINUTES_PER_SESSION);
    expect(x!.symbol).toBe('Q');
    const ny = new Zone('America/New_York');
    for (let i = 0; i < x!.length; i += 97) {
      const tod = ny.toLocal(x!.time[i]!) % 86_400_000;
      expect(tod >= 9.5 * 3_600_000 && tod < 16 * 3_600_000).toBe(true);
    }
  });

  it('has halts/missing minutes, overnight gaps, valid cent prices and a U-shaped volume profile', () => {
    expect(a.length).toBeLessThan(63 * MINUTES_PER_SESSION);
    expect(a.length).toBeGreaterThan(62 * MINUTES_PER_SESSION);
    let gapMoves = 0;
    const byMinute = new Float64Array(MINUTES_PER_SESSION);
    const opens = sessionOpens('2010-01-04', 63);
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      expect(a.high[i]! >= Math.max(a.open[i]!, a.close[i]!) && a.low[i]! <= Math.min(a.open[i]!, a.close[i]!) && a.low[i]! > 0).toBe(true);
      expect(Math.round(a.close[i]! * 100) / 100).toBe(a.close[i]);
      while (s + 1 < opens.length && a.time[i]! >= opens[s + 1]!) s++;
      const m = (a.time[i]! - opens[s]!) / 60_000;
      byMinute[m] = byMinute[m]! + a.volume[i]!;
      if (i > 0 && a.time[i] === opens[s] && a.open[i] !== a.close[i - 1]) gapMoves++;
    }
    expect(gapMoves).toBeGreaterThan(40);
    expect(byMinute[0]!).toBeGreaterThan(2 * byMinute[195]!);
    expect(byMinute[389]!).toBeGreaterThan(2 * byMinute[195]!);
  });

  it('follows daylight saving time: the open is 14:30 UTC in January and 13:30 UTC in July', () => {
    const opens = sessionOpens('2010-01-04', 200);
    expect(new Date(opens[0]!).toISOString()).toBe('2010-01-04T14:30:00.000Z');
    expect(Array.from(opens).map((t) => new Date(t).toISOString()).find((x) => x.startsWith('2010-07-01'))).toBe('2010-07-01T13:30:00.000Z');
  });
});
