/**
 * The New York Stock Exchange's regular sessions by rule, for brokers that publish no calendar (TradeStation):
 * weekends and the exchange's holidays closed, 09:30–16:00 New York otherwise, 13:00 on its early-close days.
 * Rules as NYSE Rule 7.2 applies them: a holiday on a Saturday moves to the Friday before (except New Year's
 * Day, which then is not observed), on a Sunday to the Monday after; Juneteenth from 2022; early closes on
 * July 3 (when the 4th falls Tuesday–Friday), the day after Thanksgiving, and December 24 (Monday–Thursday).
 * Closures the exchange announces at short notice (a national day of mourning, a storm) cannot follow from a
 * rule: the ones since 2001 are listed; a later one reads as a regular session (an order then waits at the
 * broker for the next open).
 */

export const OPEN_MINUTE = 9 * 60 + 30;
export const CLOSE_MINUTE = 16 * 60;
export const EARLY_CLOSE_MINUTE = 13 * 60;

const DAY = 86_400_000;

/** Unscheduled full-day closures since 2001 (YYYY-MM-DD). */
const SPECIAL_CLOSURES = new Set([
  '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', // September 11
  '2004-06-11', // President Reagan
  '2007-01-02', // President Ford
  '2012-10-29', '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G. H. W. Bush
  '2025-01-09', // President Carter
]);

/** Day number (UTC midnight ms) of y-m-d; months 1–12. */
const dayOf = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);
const weekdayOf = (day: number): number => new Date(day).getUTCDay();

/** The n-th (1-based) given weekday of a month, or with n = −1 the last one. */
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayOf(y, m, 1);
    return first + (((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1)) * DAY;
  }
  const last = dayOf(y, m + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7) * DAY;
}

/** Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher). */
function easter(y: number): number {
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(y, month, day);
}

/** A fixed-date holiday as observed: Saturday → Friday before, Sunday → Monday after. */
function observed(day: number): number {
  const w = weekdayOf(day);
  return w === 6 ? day - DAY : w === 0 ? day + DAY : day;
}

const holidayCache = new Map<number, Set<number>>();

/** The exchange's holidays of year y, as day numbers. */
export function nyseHolidays(y: number): ReadonlySet<number> {
  let set = holidayCache.get(y);
  if (set) return set;
  set = new Set<number>();
  const newYear = dayOf(y, 1, 1);
  if (weekdayOf(newYear) !== 6) set.add(observed(newYear));
  set.add(nthWeekday(y, 1, 1, 3)); // Martin Luther King Jr. Day
  set.add(nthWeekday(y, 2, 1, 3)); // Washington's Birthday
  set.add(easter(y) - 2 * DAY); // Good Friday
  set.add(nthWeekday(y, 5, 1, -1)); // Memorial Day
  if (y >= 2022) set.add(observed(dayOf(y, 6, 19))); // Juneteenth
  set.add(observed(dayOf(y, 7, 4)));
  set.add(nthWeekday(y, 9, 1, 1)); // Labor Day
  set.add(nthWeekday(y, 11, 4, 4)); // Thanksgiving
  set.add(observed(dayOf(y, 12, 25)));
  holidayCache.set(y, set);
  return set;
}

/**
 * The regular session of a New York calendar date, given as the UTC midnight of that date: its open and close
 * in minutes after local midnight, or null when the exchange is closed all day.
 */
export function nyseSession(day: number): { open: number; close: number } | null {
  const w = weekdayOf(day);
  if (w === 0 || w === 6) return null;
  const date = new Date(day);
  const y = date.getUTCFullYear(), m = date.getUTCMonth() + 1, d = date.getUTCDate();
  if (nyseHolidays(y).has(day) || SPECIAL_CLOSURES.has(new Date(day).toISOString().slice(0, 10))) return null;
  const early = (m === 7 && d === 3 && w >= 1 && w <= 4)
    || day === nthWeekday(y, 11, 4, 4) + DAY
    || (m === 12 && d === 24 && w >= 1 && w <= 4);
  return { open: OPEN_MINUTE, close: early ? EARLY_CLOSE_MINUTE : CLOSE_MINUTE };
}
