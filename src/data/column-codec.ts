/**
 * How one column of one chunk is stored in format version 2 (format.ts): the smallest of a few exact
 * encodings, chosen per column and chunk when the file is written. Every encoding is checked value by value
 * when it is chosen, so what a reader decodes is bit-identical (Object.is) to what was written; a column with
 * any value that would not come back exactly is stored as raw float64.
 *
 * - RAW: IEEE-754 doubles.
 * - SCALED: int32 q with a power-of-ten scale s (1 … 10^9); the value is q / s. Decimal prices parsed as
 *   mantissa ÷ 10^k (csv/numbers.ts) are exactly such quotients, and division is correctly rounded, so a price
 *   with at most k decimals round-trips whenever q fits. NaN, ±Infinity, -0 and values like 0.1 + 0.2 do not.
 * - DELTA8/16/32: strictly increasing integer times as unsigned steps of `unit` ms (the gcd of the steps:
 *   60,000 for minute bars, 86,400,000 for daily ones); the first value is the chunk's first time (its index
 *   entry), each next one is the previous plus step × unit, exact below 2^53.
 */
export const Enc = { RAW: 0, SCALED: 1, DELTA8: 2, DELTA16: 3, DELTA32: 4 } as const;
export type Enc = (typeof Enc)[keyof typeof Enc];

export interface Block {
  enc: Enc;
  /** Scale (SCALED) or time unit (DELTA); 0 for RAW. */
  param: number;
  /** Encoded bytes, unpadded. */
  bytes: Uint8Array;
}

const WIDTH: readonly number[] = [8, 4, 1, 2, 4];

export const blockWidth = (enc: number): number => {
  const w = WIDTH[enc];
  if (w === undefined) throw new Error(`unknown column encoding ${enc}`);
  return w;
};

const MAX_EXP = 9;
const I32_MIN = -2147483648, I32_MAX = 2147483647;

/** The smallest power of ten s ≤ 10^9 with q / s === v (bit for bit) and q in int32 for every value; 0 when none. */
function scaleFor(v: Float64Array): number {
  outer: for (let e = 0, s = 1; e <= MAX_EXP; e++, s *= 10) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      const q = Math.round(x * s);
      // `!(… && …)` rejects NaN; Object.is rejects -0 (q is +0 once stored in int32).
      if (!(q >= I32_MIN && q <= I32_MAX) || !Object.is((q | 0) / s, x)) continue outer;
    }
    return s;
  }
  return 0;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The step unit and widest step for DELTA, or null when the times are not increasing integers below 2^53. */
function deltaShape(t: Float64Array): { unit: number; widest: number } | null {
  let unit = 0;
  for (let i = 0; i < t.length; i++) {
    if (!Number.isSafeInteger(t[i]!)) return null;
    if (i > 0) {
      const d = t[i]! - t[i - 1]!;
      if (!(d > 0)) return null;
      unit = gcd(d, unit);
    }
  }
  let widest = 0;
  for (let i = 1; i < t.length; i++) widest = Math.max(widest, (t[i]! - t[i - 1]!) / unit);
  return { unit: unit || 1, widest };
}

const rawBlock = (v: Float64Array): Block => ({ enc: Enc.RAW, param: 0, bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) });

/** Encodes the times of one chunk (strictly increasing, as the writer has checked). */
export function encodeTimes(t: Float64Array): Block {
  const shape = deltaShape(t);
  if (!shape || shape.widest > 0xffffffff) return rawBlock(t);
  const [enc, Arr] = shape.widest <= 0xff ? [Enc.DELTA8, Uint8Array] as const
    : shape.widest <= 0xffff ? [Enc.DELTA16, Uint16Array] as const : [Enc.DELTA32, Uint32Array] as const;
  const out = new Arr(t.length);
  for (let i = 1; i < t.length; i++) out[i] = (t[i]! - t[i - 1]!) / shape.unit;
  return { enc, param: shape.unit, bytes: new Uint8Array(out.buffer, 0, out.byteLength) };
}

/** Encodes one value column: scaled int32 when every value round-trips, else raw float64. */
export function encodeValues(v: Float64Array): Block {
  const s = v.length ? scaleFor(v) : 0;
  if (!s) return rawBlock(v);
  const q = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) q[i] = Math.round(v[i]! * s);
  return { enc: Enc.SCALED, param: s, bytes: new Uint8Array(q.buffer) };
}

/**
 * Decodes rows [from, from + out.length) of a block whose encoded bytes for those rows are `src` (aligned
 * copies). DELTA needs the whole block from row 0 (its values are running sums): `from` must be 0 and
 * `first` the chunk's first time.
 */
export function decodeInto(enc: number, param: number, src: Uint8Array, out: Float64Array, first: number): void {
  const n = out.length;
  switch (enc) {
    case Enc.RAW:
      new Uint8Array(out.buffer, out.byteOffset, n * 8).set(src.subarray(0, n * 8));
      return;
    case Enc.SCALED: {
      const q = new Int32Array(src.buffer, src.byteOffset, n);
      for (let i = 0; i < n; i++) out[i] = q[i]! / param;
      return;
    }
    case Enc.DELTA8:
    case Enc.DELTA16:
    case Enc.DELTA32: {
      const d = enc === Enc.DELTA8 ? src : enc === Enc.DELTA16 ? new Uint16Array(src.buffer, src.byteOffset, n) : new Uint32Array(src.buffer, src.byteOffset, n);
      let t = first;
      if (n) out[0] = t;
      for (let i = 1; i < n; i++) out[i] = t += d[i]! * param;
      return;
    }
    default:
      throw new Error(`unknown column encoding ${enc}`);
  }
}
