import { civilFromDays, weekday } from '../lib/civil.ts';
import { Zone } from '../lib/zone.ts';

/** Timeframes whose bars are stamped with their session date at midnight UTC (see src/data's README). */
export const SESSION_DATED: ReadonlySet<string> = new Set(['1d', '1w', '1mo']);

/**
 * Calendar fields of the current bar in the exchange time zone. Recomputed only when the local day
 * changes; "first bar of week/month" compare with the previous bar's local date (the first bar seen counts).
 * Daily and longer bars carry their session date at midnight UTC, so they are read in UTC: shifting them
 * into a zone west of UTC would put every session on the previous day.
 */
export class CalendarState {
  dayOfWeek = NaN;
  dayOfMonth = NaN;
  month = NaN;
  minuteOfDay = NaN;
  firstBarOfWeek = 0;
  firstBarOfMonth = 0;
  private day = NaN;
  private week = NaN;
  private monthKey = NaN;

  private readonly zone: Zone;

  constructor(zone: string, timeframe = '1m') {
    this.zone = new Zone(SESSION_DATED.has(timeframe) ? 'UTC' : zone);
  }

  /** The local day (days since 1970-01-01) of the last update: result.ts dayKeyOf's key for that time. */
  get dayKey(): number {
    return this.day;
  }

  update(t: number): void {
    const local = this.zone.toLocal(t);
    const day = Math.floor(local / 86_400_000);
    this.minuteOfDay = Math.floor((local - day * 86_400_000) / 60_000);
    if (day === this.day) {
      this.firstBarOfWeek = 0;
      this.firstBarOfMonth = 0;
      return;
    }
    this.day = day;
    const [y, m, d] = civilFromDays(day);
    this.dayOfWeek = weekday(day);
    this.dayOfMonth = d;
    this.month = m;
    // ISO weeks start on Monday; day 0 (1970-01-01) was a Thursday.
    const week = Math.floor((day + 3) / 7);
    this.firstBarOfWeek = week !== this.week ? 1 : 0;
    this.week = week;
    const monthKey = y * 12 + m;
    this.firstBarOfMonth = monthKey !== this.monthKey ? 1 : 0;
    this.monthKey = monthKey;
  }
}
