import { DAY_MS } from './civil.ts';
import { assertTimeZone, fromZoned, tzOffset } from './tz.ts';

/**
 * A time zone with a one-day memo in front of src/lib/tz.ts, for parsers and resamplers that convert
 * millions of consecutive times: a day whose neighbours share one offset has no transition (no zone has
 * two within three days), so every time in it converts with one subtraction.
 */
export class Zone {
  private localDay = NaN;
  private localOff = 0;
  private utcDay = NaN;
  private utcOff = 0;

  constructor(readonly name: string) {
    assertTimeZone(name);
  }

  /** Local wall time (as if UTC ms) → UTC instant; gaps move forward, overlaps take the earlier instant. */
  toUtc(local: number): number {
    const d = Math.floor(local / DAY_MS);
    if (d === this.localDay) return local - this.localOff;
    const d0 = d * DAY_MS;
    const a = tzOffset(this.name, d0 - DAY_MS);
    if (a === tzOffset(this.name, d0 + 2 * DAY_MS)) {
      this.localDay = d;
      this.localOff = a;
      return local - a;
    }
    return fromZoned(this.name, local);
  }

  /** Offset (ms, local − UTC) at a UTC instant. */
  offsetAt(t: number): number {
    const d = Math.floor(t / DAY_MS);
    if (d === this.utcDay) return this.utcOff;
    const d0 = d * DAY_MS;
    const a = tzOffset(this.name, d0 - DAY_MS);
    if (a === tzOffset(this.name, d0 + 2 * DAY_MS)) {
      this.utcDay = d;
      this.utcOff = a;
      return a;
    }
    return tzOffset(this.name, t);
  }

  toLocal(t: number): number {
    return t + this.offsetAt(t);
  }

  /**
   * The end (exclusive) of t's UTC day when offsetAt gives that whole day one offset (its memo), else t:
   * callers converting many times in order (fast/day-span.ts) reuse the offset up to there.
   */
  steadyUntil(t: number): number {
    this.offsetAt(t);
    const d = Math.floor(t / DAY_MS);
    return d === this.utcDay ? (d + 1) * DAY_MS : t;
  }
}
