import { describe, expect, it } from 'vitest';
import { barsFingerprint, fnv1a64, Fnv64 } from '../../../src/lib/fingerprint.ts';

const enc = (s: string) => new TextEncoder().encode(s);
function bars(symbol: string, n: number, shift = 0) {
  const time = new Float64Array(n + 3).map((_, i) => 1_600_000_000_000 + i * 86_400_000);
  const close = new Float64Array(n + 3).map((_, i) => 100 + i / 100 + shift);
  return { symbol, timeframe: '1d', length: n, time, close };
}

describe('FNV-1a 64 fingerprint', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64(enc(''))).toBe('cbf29ce484222325');
    expect(fnv1a64(enc('a'))).toBe('af63dc4c8601ec8c');
    expect(fnv1a64(enc('foobar'))).toBe('85944171f73967e8');
  });

  it('hashes only a view\'s own window of its buffer, shared or not', () => {
    const buf = new ArrayBuffer(32);
    const whole = new Uint8Array(buf);
    whole.set(enc('xxfoobaryy'));
    expect(fnv1a64(whole.subarray(2, 8))).toBe('85944171f73967e8');
    const shared = new Uint8Array(new SharedArrayBuffer(6));
    shared.set(enc('foobar'));
    expect(fnv1a64(shared)).toBe('85944171f73967e8');
    expect(new Fnv64().update(enc('foo')).update(enc('bar')).digest()).toBe('85944171f73967e8');
  });

  it('depends on every close, every time, the length and the symbol, but not on unused capacity or order', () => {
    const a = bars('SPY', 500);
    const base = barsFingerprint([a]);
    expect(barsFingerprint([bars('SPY', 500)])).toBe(base);
    const garbage = bars('SPY', 500);
    garbage.close[501] = 999;
    expect(barsFingerprint([garbage])).toBe(base);
    const cent = bars('SPY', 500);
    cent.close[250] = cent.close[250]! + 0.01;
    expect(barsFingerprint([cent])).not.toBe(base);
    const late = bars('SPY', 500);
    late.time[499] = late.time[499]! + 60_000;
    expect(barsFingerprint([late])).not.toBe(base);
    expect(barsFingerprint([bars('SPY', 499)])).not.toBe(base);
    expect(barsFingerprint([bars('QQQ', 500)])).not.toBe(base);
    const b = bars('QQQ', 300, 5);
    expect(barsFingerprint([a, b])).toBe(barsFingerprint([b, a]));
    expect(barsFingerprint([a, b])).not.toBe(base);
  });
});
