import { describe, expect, it } from 'vitest';
import { barAxis, barTicks, firstTickLabel, monthIndex, tickLabel } from '../../../src/ui/results/bar-axis.ts';

const at = (iso: string) => Date.parse(`${iso}Z`) / 1000;
/** Hourly bars 14:00–20:00 UTC on Thu 2020-01-30, Fri 01-31 and Mon 02-03 (a night and a weekend between). */
const T = Float64Array.from(['2020-01-30', '2020-01-31', '2020-02-03'].flatMap((d) => Array.from({ length: 7 }, (_, h) => at(`${d}T${14 + h}:00:00`))));

describe('compressed bar axis (#16 add 2)', () => {
  it('counts bars: every bar one unit, gaps take none, times between bars map linearly both ways', () => {
    const a = barAxis(T);
    expect(Array.from(a.x)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    // Friday 20:00 is bar 13, Monday 14:00 bar 14: one unit apart although 66 hours apart.
    expect(a.fromTime(at('2020-01-31T20:00:00'))).toBe(13);
    expect(a.fromTime(at('2020-02-03T14:00:00'))).toBe(14);
    expect(a.fromTime(at('2020-02-02T05:00:00'))).toBeCloseTo(13.5, 10);
    for (const v of [0, 3.25, 13.5, 20]) expect(a.fromTime(a.toTime(v))).toBeCloseTo(v, 9);
    expect(a.legend(null as never, 14.2)).toBe('2020-02-03 14:00');
  });

  it('puts ticks on the first bar of the finest calendar unit that fits, labelled by what begins there', () => {
    // Room for 3 labels: days (3 starts); room for 21: every hour.
    expect(barTicks(T, 0, 20, 3)).toEqual({ unit: 'day', ticks: [0, 7, 14] });
    expect(barTicks(T, 0, 20, 21).unit).toBe('hour');
    expect(barTicks(T, 0, 20, 21).ticks).toHaveLength(21);
    // The first label dates the chart; Feb 3 starts a month; other hours show the time.
    expect([0, 7, 14, 15].map((i) => tickLabel(T, i))).toEqual(['2020-01-30 14:00', 'Jan 31', 'Feb', '15:00']);
    // Daily bars over years: years start, then months.
    const days = Float64Array.from({ length: 800 }, (_, i) => at('2019-12-30T00:00:00') + i * 86_400);
    const years = barTicks(days, 0, 799, 4);
    expect(years.unit).toBe('year');
    expect(years.ticks.map((i) => tickLabel(days, i))).toEqual(['2019-12-30', '2020', '2021', '2022']);
    expect(barTicks(days, 0, 60, 4).ticks.map((i) => tickLabel(days, i))).toEqual(['2019-12-30', '2020', 'Feb']);
    // Zoomed in, the leftmost label carries the year; a year label needs nothing more.
    expect([firstTickLabel(days, 170), firstTickLabel(days, 2), firstTickLabel(T, 15)]).toEqual(['2020-06-17', '2020', '2020-02-03 15:00']);
    expect(monthIndex(at('2024-02-29T00:00:00') / 86_400)).toBe(2024 * 12 + 1);
    expect(monthIndex(at('1969-12-31T00:00:00') / 86_400)).toBe(1969 * 12 + 11);
  });
});
