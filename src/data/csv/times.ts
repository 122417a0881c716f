/**
 * Byte-level time parsing for CSV fields, without Date objects. Accepted shapes:
 *   epoch seconds / milliseconds / microseconds / nanoseconds (told apart by magnitude: < 1e11 is seconds);
 *   YYYY-MM-DD or YYYY/MM/DD, optionally followed by [T ]HH:MM[:SS[.fff]] and Z or ±HH[:MM];
 *   YYYYMMDD, optionally followed by a space and HHMMSS (NinjaTrader);
 *   M/D/YYYY [HH:MM[:SS]] (US order); "Jan 1 2000" / "Jan 1, 2000".
 * A bare date means the session date: midnight UTC of that date, whatever the zone (see README of src/data).
 * A date-time without an offset is a wall time in the given zone.
 */
import { DAY_MS, daysFromCivil, daysInMonth } from '../../lib/civil.ts';
import type { Zone } from '../../lib/zone.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export type TimeShape = 'date' | 'local' | 'absolute';
/** Shape of the last successful parse; read right after the call (avoids allocating a result object). */
export let lastShape: TimeShape = 'date';

function digitsAt(b: Uint8Array, i: number, n: number, e: number): number {
  if (i + n > e) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = b[i + k]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function dateMs(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d) * DAY_MS;
}

/** Parses "HH:MM[:SS[.fff]]" (or compact "HHMMSS") at i; returns ms of day or NaN, and the end index in `end`. */
let endAt = 0;
function timeOfDay(b: Uint8Array, i: number, e: number, compact: boolean): number {
  const h = digitsAt(b, i, 2, e);
  let p = i + 2;
  if (!compact && b[p] !== 58) return NaN;
  if (!compact) p++;
  const mi = digitsAt(b, p, 2, e);
  p += 2;
  let s = 0, frac = 0;
  if (compact || b[p] === 58) {
    if (!compact) p++;
    s = digitsAt(b, p, 2, e);
    p += 2;
    if (b[p] === 46 && p < e) {
      p++;
      let scale = 100;
      while (p < e && b[p]! >= 48 && b[p]! <= 57) {
        frac += (b[p]! - 48) * scale;
        scale /= 10;
        p++;
      }
      frac = Math.round(frac);
    }
  }
  if (h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 59) return NaN;
  endAt = p;
  return ((h * 60 + mi) * 60 + s) * 1000 + frac;
}

/** Returns UTC epoch ms, or NaN when the field is not a time this parser knows. */
export function parseTime(b: Uint8Array, s: number, e: number, zone: Zone): number {
  while (s < e && (b[s] === 32 || b[s] === 34 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 34 || b[e - 1] === 9 || b[e - 1] === 13)) e--;
  const n = e - s;
  if (n === 0) return NaN;
  const c0 = b[s]!;
  if (c0 >= 48 && c0 <= 57) {
    const y4 = digitsAt(b, s, 4, e);
    const sep = b[s + 4];
    if (y4 >= 0 && (sep === 45 || sep === 47) && n >= 10) {
      const m = digitsAt(b, s + 5, 2, e), d = digitsAt(b, s + 8, 2, e);
      if (m < 0 || d < 0 || b[s + 7] !== sep) return NaN;
      const day = dateMs(y4, m, d);
      if (n === 10) { lastShape = 'date'; return day; }
      const t = b[s + 10];
      if (t !== 84 && t !== 32) return NaN;
      const tod = timeOfDay(b, s + 11, e, false);
      if (Number.isNaN(tod)) return NaN;
      return withOffset(b, endAt, e, day + tod, zone);
    }
    if (n === 8 || (n === 15 && b[s + 8] === 32)) {
      const ymd = digitsAt(b, s, 8, e);
      if (ymd >= 0) {
        const day = dateMs(Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100, ymd % 100);
        if (n === 8) {
          if (!Number.isNaN(day)) { lastShape = 'date'; return day; }
        } else {
          const tod = timeOfDay(b, s + 9, e, true);
          if (Number.isNaN(tod) || Number.isNaN(day)) return NaN;
          lastShape = 'local';
          return zone.toUtc(day + tod);
        }
      }
    }
    const slash = usDate(b, s, e, zone);
    if (!Number.isNaN(slash)) return slash;
    return epoch(b, s, e);
  }
  return monthName(b, s, e);
}

function withOffset(b: Uint8Array, p: number, e: number, local: number, zone: Zone): number {
  if (p === e) { lastShape = 'local'; return zone.toUtc(local); }
  const c = b[p];
  if (c === 90 && p + 1 === e) { lastShape = 'absolute'; return local; }
  if (c !== 43 && c !== 45) return NaN;
  const oh = digitsAt(b, p + 1, 2, e);
  let q = p + 3;
  if (b[q] === 58) q++;
  const om = q === e ? 0 : digitsAt(b, q, 2, e);
  if (oh < 0 || om < 0 || (q !== e && q + 2 !== e) || oh > 23 || om > 59) return NaN;
  lastShape = 'absolute';
  return local - (c === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
}

function epoch(b: Uint8Array, s: number, e: number): number {
  let v = 0, i = s, frac = 0, scale = 1;
  for (; i < e && b[i]! >= 48 && b[i]! <= 57; i++) v = v * 10 + (b[i]! - 48);
  if (i < e && b[i] === 46) {
    for (i++; i < e && b[i]! >= 48 && b[i]! <= 57; i++) {
      scale /= 10;
      frac += (b[i]! - 48) * scale;
    }
  }
  if (i !== e) return NaN;
  lastShape = 'absolute';
  if (v < 1e11) return Math.round((v + frac) * 1000);
  if (v < 1e14) return v;
  if (v < 1e17) return Math.floor(v / 1e3);
  return Math.floor(v / 1e6);
}

function usDate(b: Uint8Array, s: number, e: number, zone: Zone): number {
  let p = s, m = 0, d = 0, y = 0, k = 0;
  for (; p < e && b[p]! >= 48 && b[p]! <= 57 && k < 2; p++, k++) m = m * 10 + b[p]! - 48;
  if (k === 0 || b[p] !== 47) return NaN;
  p++;
  for (k = 0; p < e && b[p]! >= 48 && b[p]! <= 57 && k < 2; p++, k++) d = d * 10 + b[p]! - 48;
  if (k === 0 || b[p] !== 47) return NaN;
  p++;
  y = digitsAt(b, p, 4, e);
  if (y < 0) return NaN;
  p += 4;
  const day = dateMs(y, m, d);
  if (p === e) { lastShape = 'date'; return day; }
  if (b[p] !== 32) return NaN;
  const tod = timeOfDay(b, p + 1, e, false);
  if (Number.isNaN(tod) || endAt !== e) return NaN;
  lastShape = 'local';
  return zone.toUtc(day + tod);
}

function monthName(b: Uint8Array, s: number, e: number): number {
  if (e - s < 8) return NaN;
  const name = String.fromCharCode(b[s]! | 0x20, b[s + 1]! | 0x20, b[s + 2]! | 0x20);
  const m = MONTHS.indexOf(name) + 1;
  if (m === 0) return NaN;
  let p = s + 3;
  while (p < e && b[p]! >= 97 && (b[p]! | 0x20) <= 122) p++; // "January"
  if (b[p] !== 32) return NaN;
  p++;
  let d = 0, k = 0;
  for (; p < e && b[p]! >= 48 && b[p]! <= 57 && k < 2; p++, k++) d = d * 10 + b[p]! - 48;
  if (k === 0) return NaN;
  if (b[p] === 44) p++;
  if (b[p] !== 32) return NaN;
  const y = digitsAt(b, p + 1, 4, e);
  if (y < 0 || p + 5 !== e) return NaN;
  lastShape = 'date';
  return dateMs(y, m, d);
}
