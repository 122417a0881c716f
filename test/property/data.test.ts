import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocBars, barsEqual } from '../../src/data/columns.ts';
import { decodeBars, encodeBars, toBytes } from '../../src/data/codec.ts';
import { importIntoStore } from '../../src/data/import-to-store.ts';
import { BarFormatError } from '../../src/data/format.ts';
import { ImportError } from '../../src/data/csv/report.ts';
import { createMemoryStore } from '../../src/data/memory-store.ts';

const barsArb = fc.record({
  times: fc.uniqueArray(fc.integer({ min: -1e12, max: 4e12 }), { maxLength: 300 }),
  values: fc.array(fc.double({ noDefaultInfinity: false }), { minLength: 5 * 300, maxLength: 5 * 300 }),
  chunk: fc.integer({ min: 1, max: 64 }),
});

describe('bar file format (property)', () => {
  it('random bars → write → read is bit-identical, any chunk size, any doubles (NaN, -0, ±Infinity)', async () => {
    await fc.assert(fc.asyncProperty(barsArb, async ({ times, values, chunk }) => {
      const sorted = [...times].sort((a, b) => a - b);
      const b = allocBars('P', '1m', sorted.length);
      b.time.set(sorted);
      [b.open, b.high, b.low, b.close, b.volume].forEach((col, f) => col.set(values.slice(f * 300, f * 300 + sorted.length)));
      const back = await decodeBars(toBytes(encodeBars(b, chunk)));
      expect(barsEqual(back, b)).toBe(true);
      const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));
      expect(bits(back.open)).toEqual(bits(b.open));
    }), { numRuns: 150 });
  });

  it('random bytes, or a valid file with random damage: a BarFormatError or a structurally valid result, nothing else', async () => {
    const valid = toBytes(encodeBars((() => {
      const b = allocBars('V', '1m', 40);
      for (let i = 0; i < 40; i++) { b.time[i] = i * 60_000; b.close[i] = i; }
      return b;
    })(), 8));
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 600 }),
        fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => { const c = valid.slice(); c[i] = c[i]! ^ x; return c; }),
        fc.nat(valid.length - 1).map((n) => valid.slice(0, n)),
      ),
      async (bytes) => {
        try {
          const r = await decodeBars(bytes);
          // The header is checksummed and times are checked on read; a flipped bit inside a value that keeps
          // times increasing is not detectable without a body checksum (left out: it would cost load time).
          expect(r.length).toBe(40);
          for (let i = 1; i < r.length; i++) expect(r.time[i]! > r.time[i - 1]!).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(BarFormatError);
        }
      },
    ), { numRuns: 400 });
  });
});

describe('CSV import fuzz', () => {
  const line = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.tuple(fc.constantFrom('2020-01-02', '1577923200', 'x', '', '2020-13-01', '20200102 093000', 'Jan 2 2020'),
      fc.array(fc.oneof(fc.double().map(String), fc.constantFrom('', 'null', '-1', 'abc', '1e999')), { maxLength: 7 }))
      .map(([t, xs]) => [t, ...xs].join(fc.sample(fc.constantFrom(',', ';'), 1)[0])),
  );

  it('garbage never throws anything but ImportError and stores nothing partial', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.boolean(), async (lines, header) => {
      const store = createMemoryStore();
      const text = (header ? 'time,open,high,low,close,volume\n' : '') + lines.join('\n');
      try {
        const { report, info } = await importIntoStore(store, text, { symbol: 'F', timeframe: '1d' });
        expect(report.rowsRead).toBe(report.rowsKept + report.rowsRejected);
        expect(info.rows).toBe(report.rowsKept);
        expect((await store.get('F', '1d'))!.length).toBe(report.rowsKept);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        expect(await store.list()).toEqual([]);
      }
    }), { numRuns: 300 });
  });
});
