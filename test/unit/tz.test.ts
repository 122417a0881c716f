import { describe, expect, it } from 'vitest';
import { assertTimeZone, fromZoned, parsedOffset, partsOffset, toZoned, tzOffset, zonedDay } from '../../src/lib/tz.ts';

const NY = 'America/New_York';
describe('time zones', () => {
  it('New York offsets in winter and summer', () => {
    expect(tzOffset(NY, Date.UTC(2011, 0, 3, 14, 30))).toBe(-5 * 3_600_000);
    expect(tzOffset(NY, Date.UTC(2011, 6, 1, 13, 30))).toBe(-4 * 3_600_000);
  });
  it('round-trips wall clock times, including the DST transition days', () => {
    for (const wall of [Date.UTC(2011, 2, 13, 1, 59), Date.UTC(2011, 2, 13, 3, 0), Date.UTC(2011, 10, 6, 0, 30), Date.UTC(2011, 10, 6, 3, 0)]) {
      expect(toZoned(NY, fromZoned(NY, wall))).toBe(wall);
    }
  });
  it('the repeated hour in November resolves to the earlier instant', () => {
    expect(fromZoned(NY, Date.UTC(2011, 10, 6, 1, 30))).toBe(Date.UTC(2011, 10, 6, 5, 30));
  });
  it('a nonexistent time in the March gap moves forward', () => {
    expect(fromZoned(NY, Date.UTC(2011, 2, 13, 2, 30))).toBe(Date.UTC(2011, 2, 13, 7, 30));
  });
  it('local day of a late-evening UTC instant', () => {
    expect(zonedDay(NY, Date.UTC(2011, 0, 4, 3, 0))).toBe(Math.floor(Date.UTC(2011, 0, 3) / 86_400_000));
    expect(zonedDay('UTC', Date.UTC(2011, 0, 4, 3, 0))).toBe(Math.floor(Date.UTC(2011, 0, 4) / 86_400_000));
  });
  it('rejects unknown zones by name', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
  });
});

describe('offsets read from the formatted string (parsedOffset)', () => {
  // Zones with DST both ways, half- and quarter-hour offsets, a 30-minute DST shift, and a date-line jump.
  const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/St_Johns', 'Asia/Tokyo', 'Africa/Casablanca'];
  it('equal formatToParts on every hour around each transition and on spread instants, 1970–2040', () => {
    let checked = 0;
    for (const zone of zones) {
      // Every hour of 2011 (both DST transitions of the northern and southern zones) …
      for (let t = Date.UTC(2011, 0, 1); t < Date.UTC(2012, 0, 1); t += 3_600_000) {
        expect(parsedOffset(zone, t), `${zone} ${new Date(t).toISOString()}`).toBe(partsOffset(zone, t));
        checked++;
      }
      // … and instants spread over 70 years at odd minutes and seconds.
      for (let t = Date.UTC(1970, 0, 1, 0, 7, 13); t < Date.UTC(2040, 0, 1); t += 86_400_000 * 9.77 + 37_000) {
        expect(parsedOffset(zone, t), `${zone} ${new Date(t).toISOString()}`).toBe(partsOffset(zone, t));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });
  it('parsedOffset reads the string for ordinary years (it is not always falling back)', () => {
    expect(parsedOffset('America/New_York', Date.UTC(2011, 6, 1, 13, 30))).toBe(-4 * 3_600_000);
  });
});

describe('tzOffset reads each zone\'s transitions to the second', () => {
  // Regression: offsets were cached per UTC hour, read at the hour's start, so the half hour after a
  // transition at half past a UTC hour (St. John's 05:30Z, Adelaide 16:30Z, Lord Howe 15:30Z) had the old offset.
  it('tzOffset is right in the half hour after a transition at half past a UTC hour (St. John\'s, Adelaide, Lord Howe)', () => {
    expect(tzOffset('America/St_Johns', Date.UTC(2015, 2, 8, 5, 45))).toBe(-150 * 60_000);
    expect(tzOffset('America/St_Johns', Date.UTC(2015, 2, 8, 5, 29, 59))).toBe(-210 * 60_000);
    expect(tzOffset('Australia/Adelaide', Date.UTC(2015, 3, 4, 16, 40))).toBe(570 * 60_000);
    expect(tzOffset('Australia/Lord_Howe', Date.UTC(2015, 9, 3, 15, 31))).toBe(660 * 60_000);
  });
  it('equals the offset Intl gives for the same second, at three instants of every hour of two years, in 8 zones', () => {
    const zones: [string, number][] = [['America/St_Johns', 2015], ['Australia/Adelaide', 2015], ['Australia/Lord_Howe', 2015], ['America/New_York', 2024],
      ['Europe/London', 2020], ['Pacific/Apia', 2011], ['Africa/Casablanca', 2012], ['Asia/Kathmandu', 1985]];
    for (const [zone, year] of zones) {
      for (let h = Date.UTC(year, 0, 1); h < Date.UTC(year + 2, 0, 1); h += 3_600_000) {
        for (const t of [h, h + 1_800_000, h + 3_599_999.5]) {
          const want = parsedOffset(zone, Math.floor(t / 1000) * 1000);
          if (tzOffset(zone, t) !== want) expect([zone, new Date(t).toISOString(), tzOffset(zone, t)]).toEqual([zone, new Date(t).toISOString(), want]);
        }
      }
    }
  });
  it('every second around each transition of 2015 in St. John\'s and Adelaide, across the new year in Adelaide (in summer time)', () => {
    const around = [['America/St_Johns', Date.UTC(2015, 2, 8, 5, 30)], ['America/St_Johns', Date.UTC(2015, 10, 1, 4, 30)],
      ['Australia/Adelaide', Date.UTC(2015, 3, 4, 16, 30)], ['Australia/Adelaide', Date.UTC(2015, 9, 3, 16, 30)], ['Australia/Adelaide', Date.UTC(2016, 0, 1)]] as const;
    for (const [zone, at] of around) {
      for (let t = at - 120_000; t < at + 120_000; t += 1000) {
        const want = parsedOffset(zone, t);
        if (tzOffset(zone, t) !== want) expect([zone, new Date(t).toISOString(), tzOffset(zone, t)]).toEqual([zone, new Date(t).toISOString(), want]);
      }
    }
  });
});
