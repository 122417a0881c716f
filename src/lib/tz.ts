/**
 * UTC offsets of IANA time zones without a library: Intl gives the wall-clock parts of an instant, the
 * offset is their difference from UTC. Offsets change only at transitions, so each zone's transitions are
 * found once per UTC year (TransitionYear) and every later lookup reads them: ~160 Intl calls per zone and
 * year, not one per bar.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

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
 * third of formatToParts' cost (it builds an object per part: 11.6 µs a call against 3.9 in Node). A zone-year's
 * transitions take ~160 calls (TransitionYear). Anything else (an era, another digit system) goes to
 * formatToParts.
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

/**
 * One UTC year of a zone's offsets: the offset from `from`, and each transition in the year (the first second
 * with the new offset) with its offset. Found by reading the offset every three days and, where two readings
 * differ, halving the interval down to the second: exact when no two transitions fall within three days (the
 * assumption Zone's memo makes too). The offsets are computeOffset's, a function of the second.
 *
 * Until engine 0.5.3 offsets were cached per UTC hour, read at the hour's start: in the half hour after a
 * transition at half past a UTC hour (St. John's, Adelaide, Lord Howe) that was an hour or half an hour off.
 */
interface TransitionYear {
  readonly from: number;
  readonly to: number;
  /** starts[0] = from; then each transition, ascending. */
  readonly starts: readonly number[];
  readonly offs: readonly number[];
}

const SAMPLE_MS = 3 * 86_400_000;
const years = new Map<string, Map<number, TransitionYear>>();
/** Per zone, the year read last (lookups come in runs of nearby times). */
const lastYear = new Map<string, TransitionYear>();

function transitionYear(zone: string, year: number): TransitionYear {
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const from = new Date(0).setUTCFullYear(year, 0, 1), to = new Date(0).setUTCFullYear(year + 1, 0, 1);
  const starts = [from], offs = [computeOffset(zone, from)];
  let p = from, op = offs[0]!;
  for (;;) {
    const q = Math.min(p + SAMPLE_MS, to);
    const oq = computeOffset(zone, q);
    if (oq !== op) {
      // offset(lo) = op, offset(hi) = oq; both whole seconds (from and SAMPLE_MS are).
      let lo = p, hi = q;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (computeOffset(zone, mid) === op) lo = mid;
        else hi = mid;
      }
      starts.push(hi);
      offs.push(oq);
    }
    if (q === to) break;
    p = q;
    op = oq;
  }
  return { from, to, starts, offs };
}

/** Offset (ms) to add to a UTC instant to get the zone's wall-clock time. UTC is 0 without a lookup. */
export function tzOffset(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const s = Math.floor(utcMs / 1000) * 1000;
  let y = lastYear.get(zone);
  if (y === undefined || !(s >= y.from && s < y.to)) {
    const year = new Date(s).getUTCFullYear();
    // Outside Date's range (or NaN), or a last year without an end: computeOffset alone (Intl throws for the first).
    if (!Number.isFinite(year) || !Number.isFinite(new Date(0).setUTCFullYear(year + 1, 0, 1))) return computeOffset(zone, utcMs);
    let byYear = years.get(zone);
    if (!byYear) years.set(zone, (byYear = new Map()));
    y = byYear.get(year);
    if (!y) byYear.set(year, (y = transitionYear(zone, year)));
    lastYear.set(zone, y);
  }
  const st = y.starts;
  let i = st.length - 1;
  while (i > 0 && st[i]! > s) i--;
  return y.offs[i]!;
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
