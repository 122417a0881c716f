import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocBars, barsEqual, sharedAllocator } from '../../../src/data/columns.ts';
import { decodeBars, decodeSeries, encodeBars, encodeSeries, readBars, reserveNanColumn, toBytes } from '../../../src/data/codec.ts';
import { longestBars } from '../../../src/data/browser/service.ts';
import type { DatasetInfo } from '../../../src/data/store.ts';
import { Enc } from '../../../src/data/column-codec.ts';
import { FORMAT_V1, FORMAT_VERSION } from '../../../src/data/format.ts';
import { memoryReader, readHeader } from '../../../src/data/reader.ts';
import type { BarColumns } from '../../../src/schema/bars.ts';
import fixture from '../../golden/fixtures/store-v1.json';
import { v1FixtureBars, v1FixtureSeries } from '../../helpers/store-v1-fixture.ts';

const fromBase64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

function minutes(n: number): BarColumns {
  const b = allocBars('M', '1m', n);
  let t = Date.UTC(2021, 0, 4, 14, 30);
  for (let i = 0; i < n; i++) {
    t += i % 390 === 0 ? 17.5 * 3_600_000 : 60_000;
    b.time[i] = t;
    // Prices as a CSV import parses them: integer ÷ 100 (csv/numbers.ts).
    b.open[i] = (10_000 + (i % 5000)) / 100;
    b.high[i] = (10_005 + (i % 5000)) / 100;
    b.low[i] = (9_995 + (i % 5000)) / 100;
    b.close[i] = (9_999 + (i % 777)) / 100;
    b.volume[i] = 100 * (i % 1000);
  }
  return b;
}

const headerOf = (bytes: Uint8Array) => readHeader(memoryReader(bytes));

describe('compact bar format (version 2)', () => {
  it('stores minute times as one-byte or two-byte steps and cent prices as int32 ÷ 100, reading back bit for bit', async () => {
    const b = minutes(5000);
    const bytes = toBytes(encodeBars(b));
    const h = await headerOf(bytes);
    expect(h.version).toBe(FORMAT_VERSION);
    expect(h.blocks.map((x) => [x.enc, x.param])).toEqual([[Enc.DELTA16, 60_000], [Enc.SCALED, 100], [Enc.SCALED, 100], [Enc.SCALED, 100], [Enc.SCALED, 100], [Enc.SCALED, 1]]);
    // 2 + 5 × 4 bytes a row instead of 48.
    expect(bytes.length - h.headerBytes).toBeLessThan(5000 * 23);
    expect(barsEqual(await decodeBars(bytes), b)).toBe(true);
  });

  it('falls back to float64 per column and chunk when one value would not come back exactly', async () => {
    const b = minutes(64);
    b.close[40] = 0.1 + 0.2;
    b.open[3] = -0;
    b.low[7] = NaN;
    b.high[9] = 3e9; // an integer past int32
    b.time[63] = b.time[62]! + 0.5; // a fractional millisecond: no delta steps
    const bytes = toBytes(encodeBars(b, 32));
    const h = await headerOf(bytes);
    const encs = (c: number) => h.blocks.slice(c * 6, c * 6 + 6).map((x) => x.enc);
    expect(encs(0)).toEqual([Enc.DELTA8, Enc.RAW, Enc.RAW, Enc.RAW, Enc.SCALED, Enc.SCALED]);
    expect(encs(1)).toEqual([Enc.RAW, Enc.SCALED, Enc.SCALED, Enc.SCALED, Enc.RAW, Enc.SCALED]);
    const back = await decodeBars(bytes);
    expect(barsEqual(back, b)).toBe(true);
    expect(Object.is(back.open[3], -0)).toBe(true);
  });

  it('round-trips any values bit for bit (property: random doubles, decimals, specials, random increasing times and chunk sizes)', async () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -1e8, max: 1e8 }).chain((m) => fc.integer({ min: 0, max: 9 }).map((k) => m / 10 ** k)),
      fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2147483647, -2147483648, 2147483648, 0.1 + 0.2, 1e-9, 999_999.99),
    );
    const step = fc.oneof(fc.constantFrom(60_000, 86_400_000, 1), fc.integer({ min: 1, max: 2 ** 33 }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(step, value, value, value, fc.integer({ min: 0, max: 3 })), { minLength: 0, maxLength: 80 }),
      fc.integer({ min: 1, max: 40 }),
      async (rows, chunk) => {
        const b = allocBars('P', '1h', rows.length);
        let t = -5e11;
        rows.forEach(([d, x, y, z, kind], i) => {
          t += d;
          b.time[i] = t;
          b.open[i] = x;
          b.high[i] = kind === 0 ? x : y;
          b.low[i] = z;
          b.close[i] = kind === 1 ? Math.round(x * 100) / 100 : z;
          b.volume[i] = kind * 1e6;
        });
        if (b.time.some((x, i) => i > 0 && !(x > b.time[i - 1]!))) return; // rounding of huge steps: not a valid input
        expect(barsEqual(await decodeBars(toBytes(encodeBars(b, chunk))), b)).toBe(true);
        const s = { name: 'v', symbol: null, length: b.length, time: b.time, value: b.open };
        const back = await decodeSeries(toBytes(encodeSeries(s, chunk)));
        expect(Array.from(back.value).every((v, i) => Object.is(v, s.value[i]))).toBe(true);
      },
    ), { numRuns: 300 });
  });

  it('reads a time range from delta-coded chunks the same as the whole file sliced', async () => {
    const b = minutes(3000);
    const bytes = toBytes(encodeBars(b, 700));
    for (const [i, j] of [[0, 3000], [1, 2999], [699, 701], [700, 1400], [1234, 2345], [2999, 3000], [1500, 1500]] as const) {
      const r = await decodeBars(bytes, { from: b.time[i]!, to: j < 3000 ? b.time[j]! : undefined });
      expect(r.length).toBe(j - i);
      for (let k = 0; k < r.length; k++) {
        if (r.time[k] !== b.time[i + k] || r.close[k] !== b.close[i + k] || r.volume[k] !== b.volume[i + k]) throw new Error(`row ${i + k} differs`);
      }
    }
  });

  it('loads only the fields asked for: the others are one NaN column, and an unknown field is refused', async () => {
    const b = minutes(1000);
    const bytes = toBytes(encodeBars(b, 300));
    const part = await readBars(memoryReader(bytes), { from: b.time[100]! }, undefined, ['open', 'close']);
    expect(part.length).toBe(900);
    expect(Array.from(part.close)).toEqual(Array.from(b.close.subarray(100)));
    expect(Array.from(part.open)).toEqual(Array.from(b.open.subarray(100)));
    expect(Array.from(part.time)).toEqual(Array.from(b.time.subarray(100)));
    expect(part.high).toBe(part.low);
    expect(part.high).toBe(part.volume);
    expect(part.high.every(Number.isNaN)).toBe(true);
    // 4 columns in the buffer instead of 6.
    expect(part.time.buffer.byteLength).toBe(900 * 8 * 4);
    const all = await readBars(memoryReader(bytes), undefined, undefined, ['open', 'high', 'low', 'close', 'volume']);
    expect(barsEqual(all, b)).toBe(true);
    await expect(readBars(memoryReader(bytes), undefined, undefined, ['open', 'vwap' as 'open'])).rejects.toThrow(/has no field "vwap"/);
  });

  it('in shared memory the fields not read are views of one kept NaN column, so the set\'s buffer holds only what was read', async () => {
    const b = minutes(1000);
    const bytes = toBytes(encodeBars(b, 300));
    const a = await readBars(memoryReader(bytes), undefined, sharedAllocator, ['open', 'close']);
    const c = await readBars(memoryReader(bytes), { from: b.time[400]! }, sharedAllocator, ['close']);
    expect(Array.from(a.open)).toEqual(Array.from(b.open));
    expect(Array.from(c.close)).toEqual(Array.from(b.close.subarray(400)));
    // A whole set's time column has a buffer of its own (it may be shared with other sets: shared-times.test.ts).
    expect(a.time.buffer.byteLength).toBe(1000 * 8);
    expect(a.open.buffer.byteLength).toBe(1000 * 8 * 2);
    expect(c.time.buffer.byteLength).toBe(600 * 8 * 2);
    expect([a.high.length, c.open.length]).toEqual([1000, 600]);
    expect(c.open.buffer).toBe(a.high.buffer);
    expect([a.high, a.low, a.volume, c.open, c.high].every((x) => x.every(Number.isNaN))).toBe(true);
  });

  it('a NaN column reserved ahead (the data worker, idle, for its longest bar set) is the one later loads get; a longer load grows it', async () => {
    reserveNanColumn(5000);
    const bytes = toBytes(encodeBars(minutes(4000), 1500));
    const a = await readBars(memoryReader(bytes), undefined, sharedAllocator, ['close']);
    const reserved = a.high.buffer;
    expect(reserved.byteLength).toBeGreaterThanOrEqual(5000 * 8);
    expect(a.high.length).toBe(4000);
    expect(a.open.every(Number.isNaN) && a.volume.every(Number.isNaN)).toBe(true);
    reserveNanColumn(100);
    expect((await readBars(memoryReader(bytes), undefined, sharedAllocator, ['open'])).close.buffer).toBe(reserved);
    const longer = await readBars(memoryReader(toBytes(encodeBars(minutes(6000), 2500))), undefined, sharedAllocator, ['close']);
    expect(longer.open.buffer).not.toBe(reserved);
    expect(longer.open.length).toBe(6000);
    expect(longer.open.every(Number.isNaN)).toBe(true);
    expect(longestBars([
      { kind: 'series', rows: 9000 }, { kind: 'bars', rows: 4000 }, { kind: 'bars', rows: 6000 },
    ] as DatasetInfo[])).toBe(6000);
    expect(longestBars([])).toBe(0);
  });
});

describe('version-1 files (raw float64, written before the compact format)', () => {
  it('the fixture written by the version-1 store reads back bit for bit, whole, by range and by field', async () => {
    const want = [...v1FixtureBars(), ...v1FixtureSeries()];
    expect(fixture.catalog).toHaveLength(want.length);
    for (const row of fixture.catalog) {
      const bytes = fromBase64(fixture.files[row.file as keyof typeof fixture.files]);
      expect((await headerOf(bytes)).version).toBe(FORMAT_V1);
      if (row.kind === 'bars') {
        const b = want.find((x): x is BarColumns => 'open' in x && x.symbol === row.symbol)!;
        expect(barsEqual(await decodeBars(bytes), b)).toBe(true);
        const mid = b.time[Math.floor(b.length / 2)]!;
        const half = await decodeBars(bytes, { from: mid });
        expect(half.length).toBe(b.length - Math.floor(b.length / 2));
        expect(Object.is(half.close[half.length - 1], b.close[b.length - 1])).toBe(true);
        const closes = await readBars(memoryReader(bytes), undefined, undefined, ['close']);
        expect(Array.from(closes.close).every((v, i) => Object.is(v, b.close[i]))).toBe(true);
        // Re-encoded in the compact format, the same values come back.
        expect(barsEqual(await decodeBars(toBytes(encodeBars(b))), await decodeBars(bytes))).toBe(true);
      } else {
        const s = want.find((x) => 'value' in x && x.name === row.key)!;
        const back = await decodeSeries(bytes);
        expect(Array.from(back.value).every((v, i) => Object.is(v, (s as { value: Float64Array }).value[i]))).toBe(true);
      }
    }
  });
});
