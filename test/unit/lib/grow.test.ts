import { describe, expect, it } from 'vitest';
import { grown } from '../../../src/lib/grow.ts';

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
