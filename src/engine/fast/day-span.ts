import { DAY_MS } from '../../lib/civil.ts';
import { Zone } from '../../lib/zone.ts';
import { exchangeZone, type Settings } from '../../schema/index.ts';
import { SESSION_DATED } from '../calendar.ts';

/**
 * How far the local day of one time holds, so the calendar and day columns convert a time zone once per
 * span instead of once per step (three divisions and a memo lookup per step: most of those columns' ~40 ms
 * on W2's 983k steps in Node).
 *
 * After a time t on local day `day` (Zone's conversion), every later time below `until` has the same offset
 * `off` and the same local day, as Zone computes them:
 * - only within the UTC day Zone gives one offset (Zone.steadyUntil); otherwise `until` is t and nothing
 *   is vouched for;
 * - `until` stays 1 ms short of the UTC day's end and of the next local midnight, so no rounding of a
 *   fractional time's quotient can reach the next day.
 */
export class LocalDaySpan {
  /** Exclusive end (UTC ms) of the instants vouched for by the last start(). */
  until = -Infinity;
  /** Their offset (local − UTC, ms). */
  off = 0;
  private readonly zone: Zone;

  /** `zone`: the zone the calendar converts in ('UTC' for session-dated bars). */
  constructor(zone: string) {
    this.zone = new Zone(zone);
  }

  /** A span from t, whose local day (as Zone converts t) is `day`. */
  start(t: number, day: number): void {
    const utcEnd = this.zone.steadyUntil(t);
    if (utcEnd === t) {
      this.until = t;
      return;
    }
    this.off = this.zone.offsetAt(t);
    this.until = Math.min(utcEnd - 1, (day + 1) * DAY_MS - 1 - this.off);
  }
}

/** The span of a run's calendar: its exchange zone, or UTC for session-dated bars (as CalendarState and dayKeyOf read them). */
export function daySpanFor(settings: Settings): LocalDaySpan {
  return new LocalDaySpan(SESSION_DATED.has(settings.timeframe) ? 'UTC' : exchangeZone(settings));
}
