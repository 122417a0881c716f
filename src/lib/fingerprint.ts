/**
 * A fast, deterministic 64-bit FNV-1a hash over raw bytes, used as a data fingerprint: two devices whose bar
 * columns hash alike hold the same bars, so a shared strategy re-runs to identical statistics.
 *
 * FNV-1a is not cryptographic. It answers "did the data change?", not "did someone forge data to collide",
 * which is all a fingerprint in a link can promise (the link itself is unauthenticated).
 *
 * The 64-bit state is kept as two uint32 halves so no BigInt is needed in the per-byte loop. Typed arrays
 * are hashed in platform byte order; every browser and Node platform we run on is little-endian.
 */
export class Fnv64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  /** Feeds the bytes of a view (only the view's own window of its buffer, shared or not). */
  update(view: ArrayBufferView): this {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < bytes.length; i++) {
      lo ^= bytes[i]!;
      // h × prime, prime = 2^40 + 0x1b3: lo × 0x1b3 is below 2^41, exact in a double.
      const p = (lo >>> 0) * 0x1b3;
      const carry = Math.floor(p / 0x1_0000_0000);
      hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
      lo = p >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** Feeds a string as UTF-8, followed by a 0 byte so that "ab"+"c" and "a"+"bc" differ. */
  updateString(s: string): this {
    this.update(new TextEncoder().encode(s));
    return this.update(new Uint8Array(1));
  }

  /** Feeds a number as its 8 IEEE-754 bytes. */
  updateNumber(n: number): this {
    return this.update(new Float64Array([n]));
  }

  /** 16 lowercase hex digits. */
  digest(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }
}

/** Hashes a whole byte sequence at once. */
export function fnv1a64(...views: ArrayBufferView[]): string {
  const h = new Fnv64();
  for (const v of views) h.update(v);
  return h.digest();
}

/** The columns a fingerprint reads: enough to tell one bar set from another without hashing every field. */
export interface FingerprintColumns {
  readonly symbol: string;
  readonly timeframe: string;
  readonly length: number;
  readonly time: Float64Array;
  readonly close: Float64Array;
}

/** Feeds one bar set: symbol, timeframe, row count, then the time and close columns' first `length` values. */
export function updateBars(h: Fnv64, bars: FingerprintColumns): Fnv64 {
  h.updateString(bars.symbol).updateString(bars.timeframe).updateNumber(bars.length);
  h.update(bars.time.subarray(0, bars.length));
  return h.update(bars.close.subarray(0, bars.length));
}

/**
 * One fingerprint for several bar sets, independent of the order they are given in (they are hashed sorted
 * by symbol, then timeframe).
 */
export function barsFingerprint(sets: readonly FingerprintColumns[]): string {
  const sorted = [...sets].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.timeframe < b.timeframe ? -1 : a.timeframe > b.timeframe ? 1 : 0));
  const h = new Fnv64().updateNumber(sorted.length);
  for (const s of sorted) updateBars(h, s);
  return h.digest();
}
