import { describe, expect, it } from 'vitest';
import { carved, grown } from '../../../src/lib/grow.ts';

describe('grown', () => {
  it('keeps the array kind and its contents at the front, with the new capacity zero-filled', () => {
    for (const a of [Float64Array.of(1.5, -2), Int32Array.of(7, -8), Uint8Array.of(1, 255), Int8Array.of(-1, 1)]) {
      const b = grown(a, 5);
      expect(b.constructor).toBe(a.constructor);
      expect(b.length).toBe(5);
      expect([...b]).toEqual([...a, 0, 0, 0]);
      expect(b.buffer).not.toBe(a.buffer);
    }
  });
});

describe('carved', () => {
  it('gives columns of the kinds asked, in order, each of `rows` zeros, in one buffer without overlap', () => {
    const cols = carved(16, [Float64Array, Uint8Array, Int32Array, Int8Array, Float64Array] as const);
    expect(cols.map((c) => c.constructor)).toEqual([Float64Array, Uint8Array, Int32Array, Int8Array, Float64Array]);
    for (const c of cols) {
      expect(c.length).toBe(16);
      expect(c.buffer).toBe(cols[0].buffer);
      expect(c.byteOffset % 8).toBe(0);
    }
    // Each column written to its last row with a distinct value: no column's write reaches another's.
    cols.forEach((c, k) => c.fill(k + 1));
    cols.forEach((c, k) => expect([...c].every((v) => v === k + 1)).toBe(true));
    expect(cols[0].buffer.byteLength).toBe(16 * (8 + 1 + 4 + 1 + 8));
  });

  it('refuses a row count that would misalign the columns after a byte column', () => {
    expect(() => carved(12, [Uint8Array, Float64Array] as const)).toThrow(/not a multiple of 8/);
  });
});
