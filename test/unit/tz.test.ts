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
