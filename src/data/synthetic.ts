/**
 * Seeded synthetic minute bars: US regular sessions (390 minutes from 09:30 America/New_York, stored as UTC
 * starts), 252 sessions a year taken as consecutive weekdays (no holidays), a U-shaped intraday profile of
 * volatility and volume, overnight gaps, and — unless `gaps: false` — occasional halts and missing minutes.
 *
 * Determinism: the same options give bit-identical bars. The random stream is src/lib/rng.ts (integer ops
 * only); floating math uses + − × ÷, Math.round, Math.sqrt (correctly rounded everywhere) and Math.log/
 * Math.cos/Math.sin in the normal draws. The last three are not specified to the bit by ECMAScript, but Node
 * and Chromium share V8's fdlibm-derived implementations, so both produce the same bits.
 */
import type { BarColumns } from '../schema/bars.ts';
import { DAY_MS, daysFromCivil, weekday } from '../lib/civil.ts';
import { Rng } from '../lib/rng.ts';
import { allocBars } from './columns.ts';
import { Zone } from '../lib/zone.ts';

export interface SyntheticOptions {
  /** Symbol names, or how many to make (SYN0, SYN1, …). Default 7. */
  symbols?: number | readonly string[];
  years?: number;
  seed?: number;
  /** First session (a weekday), YYYY-MM-DD. Default 2010-01-04. */
  start?: string;
  sessionsPerYear?: number;
  /** Halts and missing minutes; false gives exactly 390 bars per session. Default true. */
  gaps?: boolean;
}

export const MINUTES_PER_SESSION = 390;
const OPEN_MS = (9 * 60 + 30) * 60_000;

/** Start (UTC ms) of each regular session: consecutive weekdays from `start`, opening 09:30 New York time. */
export function sessionOpens(start: string, sessions: number): Float64Array {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!m) throw new RangeError(`start must be YYYY-MM-DD, got ${JSON.stringify(start)}`);
  let day = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const ny = new Zone('America/New_York');
  const out = new Float64Array(sessions);
  for (let i = 0; i < sessions; day++) {
    const wd = weekday(day);
    if (wd === 0 || wd === 6) continue;
    out[i++] = ny.toUtc(day * DAY_MS + OPEN_MS);
  }
  return out;
}

/** Box–Muller keeping both draws, so each normal costs half a log/sqrt/cos. */
class Normals {
  private spare = NaN;
  constructor(private readonly rng: Rng) {}
  next(): number {
    const s = this.spare;
    if (s === s) {
      this.spare = NaN;
      return s;
    }
    let u = this.rng.next();
    while (u === 0) u = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * this.rng.next();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function symbolNames(s: SyntheticOptions['symbols']): string[] {
  if (Array.isArray(s)) return [...(s as readonly string[])];
  return Array.from({ length: (s as number | undefined) ?? 7 }, (_, i) => `SYN${i}`);
}

export function generateMinuteBars(opts: SyntheticOptions = {}): BarColumns[] {
  const names = symbolNames(opts.symbols);
  const sessions = Math.round((opts.years ?? 10) * (opts.sessionsPerYear ?? 252));
  const opens = sessionOpens(opts.start ?? '2010-01-04', sessions);
  const gaps = opts.gaps ?? true;
  const seed = opts.seed ?? 1;
  // U-shape: activity at the open and close is ~3.5x the midday level.
  const volShape = new Float64Array(MINUTES_PER_SESSION), volumeShape = new Float64Array(MINUTES_PER_SESSION);
  for (let m = 0; m < MINUTES_PER_SESSION; m++) {
    const x = (m - (MINUTES_PER_SESSION - 1) / 2) / ((MINUTES_PER_SESSION - 1) / 2);
    volShape[m] = 0.6 + 1.5 * x * x;
    volumeShape[m] = 0.4 + 2.4 * x * x * x * x + 0.4 * x * x;
  }
  return names.map((symbol, k) => {
    const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0);
    const z = new Normals(rng);
    const annualVol = 0.15 + 0.3 * rng.next();
    const sigma = annualVol / Math.sqrt(252 * MINUTES_PER_SESSION);
    const gapSigma = annualVol / Math.sqrt(252) * 0.4;
    const baseVolume = 2_000 + Math.floor(rng.next() * 40_000);
    let p = round2(20 + rng.next() * 480);
    const cap = sessions * MINUTES_PER_SESSION;
    const T = new Float64Array(cap), O = new Float64Array(cap), H = new Float64Array(cap), L = new Float64Array(cap),
      C = new Float64Array(cap), V = new Float64Array(cap);
    let n = 0;
    for (let s = 0; s < sessions; s++) {
      const t0 = opens[s]!;
      if (s > 0) p = Math.max(1, p * (1 + gapSigma * z.next()));
      let haltFrom = -1, haltTo = -1;
      if (gaps && rng.next() < 0.004) {
        haltFrom = rng.int(5, MINUTES_PER_SESSION - 40);
        haltTo = haltFrom + rng.int(5, 30);
      }
      let open = round2(p);
      for (let m = 0; m < MINUTES_PER_SESSION; m++) {
        const sd = sigma * volShape[m]!;
        p = Math.max(1, p * (1 + sd * z.next()));
        const close = round2(p);
        const missing = gaps && ((m >= haltFrom && m < haltTo) || rng.next() < 0.0005);
        if (missing) continue;
        const hi = open > close ? open : close, lo = open < close ? open : close;
        T[n] = t0 + m * 60_000;
        O[n] = open;
        H[n] = round2(hi * (1 + sd * 0.6 * Math.abs(z.next())));
        L[n] = Math.max(0.01, round2(lo * (1 - sd * 0.6 * Math.abs(z.next()))));
        C[n] = close;
        V[n] = Math.round(baseVolume * volumeShape[m]! * (0.3 + 1.4 * rng.next()));
        n++;
        open = close;
      }
    }
    const bars = allocBars(symbol, '1m', n);
    bars.time.set(T.subarray(0, n)); bars.open.set(O.subarray(0, n)); bars.high.set(H.subarray(0, n));
    bars.low.set(L.subarray(0, n)); bars.close.set(C.subarray(0, n)); bars.volume.set(V.subarray(0, n));
    return bars;
  });
}
