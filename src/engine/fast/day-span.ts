import { DAY_MS } from '../../lib/civil.ts';
import { tzOffset } from '../../lib/tz.ts';

/**
 * How far the local day of one time holds, so the calendar and day columns convert a time zone once per
 * span instead of once per step (three divisions and a memo lookup per step: most of those columns' ~40 ms
 * on W2's 983k steps in Node).
 *
 * After a time t on local day `day` (Zone's conversion), every later time below `until` has the same offset
 * `off` and the same local day, as Zone computes them:
 * - Zone.offsetAt gives every time of a UTC day one offset when the offsets a day before and two days after
 *   that day agree (the same two lookups, so the same answer); otherwise `until` is t and nothing is vouched for;
 * - `until` stays 1 ms short of the UTC day's end and of the next local midnight, so no rounding of a
 *   fractional time's quotient can reach the next day.
 */
export class LocalDaySpan {
  /** Exclusive end (UTC ms) of the instants vouched for by the last start(). */
  until = -Infinity;
  /** Their offset (local − UTC, ms). */
  off = 0;

  /** `zone`: the zone the calendar converts in ('UTC' for session-dated bars). */
  constructor(private readonly zone: string) {}

  /** A span from t, whose local day (as Zone converts t) is `day`. */
  start(t: number, day: number): void {
    const d0 = Math.floor(t / DAY_MS) * DAY_MS;
    const a = tzOffset(this.zone, d0 - DAY_MS);
    if (a !== tzOffset(this.zone, d0 + 2 * DAY_MS)) {
      this.until = t;
      return;
    }
    this.off = a;
    this.until = Math.min(d0 + DAY_MS - 1, (day + 1) * DAY_MS - 1 - a);
  }
}
