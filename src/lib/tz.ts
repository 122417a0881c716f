/**
 * UTC offsets of IANA time zones without a library: Intl gives the wall-clock parts of an instant, the
 * offset is their difference from UTC. Offsets change only at DST transitions, so results are cached
 * per (zone, UTC hour) — a backtest over 10 years asks Intl ~90k times at most, not once per bar.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const cache = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not a valid IANA zone. */
export function assertTimeZone(zone: string): void {
  try {
    formatter(zone);
  } catch {
    throw new RangeError(`unknown time zone "${zone}"`);
  }
}

/**
 * The wall-clock parts format() writes for en-US with h23 ("3/13/2011, 07:30:00"): read from the string, a
 * third of formatToParts' cost (it builds an object per part), which on W2's first run was most of the
 * ~3,600 offsets the calendar asks for (11.6 µs a call against 3.9 in Node). Anything else (an era, another
 * digit system) goes to formatToParts.
 */
const WALL = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

function computeOffset(zone: string, utcMs: number): number {
  return parsedOffset(zone, utcMs) ?? partsOffset(zone, utcMs);
}

/** The offset read from format()'s string, or null when the string is not of the expected form. */
export function parsedOffset(zone: string, utcMs: number): number | null {
  const m = WALL.exec(formatter(zone).format(new Date(utcMs)));
  if (!m) return null;
  return Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!) - Math.floor(utcMs / 1000) * 1000;
}

/** The offset from formatToParts: the reference parsedOffset must agree with. */
export function partsOffset(zone: string, utcMs: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) {
    const n = Number(p.value);
    switch (p.type) {
      case 'year': y = n; break;
      case 'month': mo = n; break;
      case 'day': d = n; break;
      case 'hour': h = n; break;
      case 'minute': mi = n; break;
      case 'second': s = n; break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(utcMs / 1000) * 1000;
}

/** Offset (ms) to add to a UTC instant to get the zone's wall-clock time. UTC is 0 without a lookup. */
export function tzOffset(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  let z = cache.get(zone);
  if (!z) {
    z = new Map();
    cache.set(zone, z);
  }
  const hour = Math.floor(utcMs / 3_600_000);
  let off = z.get(hour);
  if (off === undefined) {
    off = computeOffset(zone, hour * 3_600_000);
    z.set(hour, off);
  }
  return off;
}

/** Wall-clock time in the zone, expressed as if it were UTC ms (so getUTC* gives local fields). */
export function toZoned(zone: string, utcMs: number): number {
  return utcMs + tzOffset(zone, utcMs);
}

/**
 * UTC instant of a naive local wall-clock time in the zone. During the DST gap the nonexistent time is
 * shifted forward by the gap; during the overlap the earlier (first) instant is chosen.
 */
export function fromZoned(zone: string, wallMs: number): number {
  // Offsets 12 h either side bracket any transition near this wall time.
  const before = wallMs - tzOffset(zone, wallMs - 43_200_000);
  const after = wallMs - tzOffset(zone, wallMs + 43_200_000);
  const okBefore = toZoned(zone, before) === wallMs;
  const okAfter = toZoned(zone, after) === wallMs;
  if (okBefore && okAfter) return Math.min(before, after);
  if (okAfter) return after;
  return before; // valid, or in the gap: the pre-transition offset moves the time forward
}

/** Calendar day number (days since 1970-01-01) of an instant in the zone. */
export function zonedDay(zone: string, utcMs: number): number {
  return Math.floor(toZoned(zone, utcMs) / 86_400_000);
}
