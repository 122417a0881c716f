/**
 * The NYSE calendar by rule against the exchange's published holiday and early-close lists (nyse.com,
 * "Holidays & Trading Hours"), including the edge rules: a Saturday New Year's Day is not observed (2022, 2028),
 * Juneteenth observed from 2022, July 3 early only when the 4th is Tuesday–Friday, unscheduled closures.
 */
import { describe, expect, it } from 'vitest';
import { nyseSession } from '../../../src/lib/nyse-calendar.ts';
import { nyseSessions, sessionClock } from '../../../src/live/tradestation.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Every weekday of year y on which the exchange is closed, and every early close. */
function closedAndEarly(y: number): { closed: string[]; early: string[] } {
  const closed: string[] = [], early: string[] = [];
  for (let d = Date.UTC(y, 0, 1); d < Date.UTC(y + 1, 0, 1); d += 86_400_000) {
    const w = new Date(d).getUTCDay();
    if (w === 0 || w === 6) continue;
    const s = nyseSession(d);
    const iso = new Date(d).toISOString().slice(0, 10);
    if (s === null) closed.push(iso);
    else if (s.close !== 16 * 60) early.push(iso);
  }
  return { closed, early };
}

describe('NYSE calendar by rule', () => {
  it('2024, 2025 and 2026 as the exchange published them', () => {
    expect(closedAndEarly(2024)).toEqual({
      closed: ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'],
      early: ['2024-07-03', '2024-11-29', '2024-12-24'],
    });
    expect(closedAndEarly(2025)).toEqual({
      closed: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
      early: ['2025-07-03', '2025-11-28', '2025-12-24'],
    });
    expect(closedAndEarly(2026)).toEqual({
      closed: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
      early: ['2026-11-27', '2026-12-24'],
    });
  });

  it('observance rules: Saturday New Year not observed, Sunday holidays on Monday, Juneteenth from 2022, Christmas Eve early only Monday–Thursday', () => {
    const c2022 = closedAndEarly(2022);
    expect(c2022.closed).toEqual(['2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26']);
    expect(c2022.early).toEqual(['2022-11-25']);
    expect(nyseSession(day('2021-12-31'))).not.toBeNull(); // New Year 2022 fell on a Saturday
    expect(nyseSession(day('2021-06-18'))).not.toBeNull(); // before Juneteenth was an exchange holiday
    expect(nyseSession(day('2021-12-24'))).toBeNull(); // Christmas on a Saturday: the Friday before
    expect(nyseSession(day('2027-12-31'))).not.toBeNull(); // New Year 2028 on a Saturday
    expect(nyseSession(day('2012-10-29'))).toBeNull(); // Hurricane Sandy
    expect(nyseSession(day('2024-07-06'))).toBeNull(); // a Saturday
  });

  it('the session clock skips holidays and closes at 13:00 on a half day; sessions list New York dates with their UTC open and close', () => {
    const ny = (iso: string) => Date.parse(`${iso}-04:00`); // summer: New York is UTC−4
    const half = sessionClock(ny('2024-07-03T12:00:00'));
    expect(half).toMatchObject({ isOpen: true, nextClose: ny('2024-07-03T13:00:00'), nextOpen: ny('2024-07-05T09:30:00') });
    expect(sessionClock(ny('2024-07-03T13:30:00')).isOpen).toBe(false);
    const holiday = sessionClock(ny('2024-07-04T11:00:00'));
    expect(holiday).toMatchObject({ isOpen: false, nextOpen: ny('2024-07-05T09:30:00'), nextClose: ny('2024-07-05T16:00:00') });
    expect(nyseSessions(ny('2024-07-03T00:00:00'), ny('2024-07-08T23:00:00'))).toEqual([
      { date: '2024-07-03', open: ny('2024-07-03T09:30:00'), close: ny('2024-07-03T13:00:00') },
      { date: '2024-07-05', open: ny('2024-07-05T09:30:00'), close: ny('2024-07-05T16:00:00') },
      { date: '2024-07-08', open: ny('2024-07-08T09:30:00'), close: ny('2024-07-08T16:00:00') },
    ]);
  });
});
