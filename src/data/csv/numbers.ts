/**
 * Byte-level number parsing for CSV fields. Fast path: up to 15 significant digits and no exponent, as
 * mantissa / 10^k — both exact doubles, so the one correctly rounded division equals what Number(text)
 * gives. Anything else (exponents, long mantissas) falls back to Number on the decoded text.
 */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const latin1 = new TextDecoder('latin1');

function fallback(b: Uint8Array, s: number, e: number): number {
  const text = latin1.decode(b.subarray(s, e)).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return NaN;
  return Number(text);
}

/** Parses bytes [s, e) as a decimal number; NaN when it is not one. Surrounding spaces and quotes are allowed. */
export function parseNumber(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 34 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 34 || b[e - 1] === 9 || b[e - 1] === 13)) e--;
  if (s === e) return NaN;
  let i = s, neg = false;
  const c0 = b[i]!;
  if (c0 === 45) { neg = true; i++; } else if (c0 === 43) i++;
  let mant = 0, sig = 0, scale = 0, digits = 0, dot = false;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      digits++;
      if (mant !== 0 || c !== 48) sig++;
      if (sig > 15) return fallback(b, s, e);
      mant = mant * 10 + (c - 48);
      if (dot) scale++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else if (c === 101 || c === 69) {
      return fallback(b, s, e);
    } else {
      return NaN;
    }
  }
  if (digits === 0) return NaN;
  if (scale > 22) return fallback(b, s, e);
  const v = scale ? mant / POW10[scale]! : mant;
  return neg ? -v : v;
}

/** Empty, "null", "nan", "n/a", "na", "none", "-": a missing value rather than a malformed one. */
export function isMissingToken(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && (b[s] === 32 || b[s] === 34)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 34 || b[e - 1] === 13)) e--;
  const n = e - s;
  if (n === 0) return true;
  if (n > 4) return false;
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]! | 0x20);
  return t === 'null' || t === 'nan' || t === 'n/a' || t === 'na' || t === 'none' || t === '\r' || n === 1 && b[s] === 45;
}
