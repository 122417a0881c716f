import { describe, expect, it } from 'vitest';
import { allocBars, barsEqual, plainAllocator, sharedAllocator } from '../../../src/data/columns.ts';
import { encodeBars, readBars, toBytes } from '../../../src/data/codec.ts';
import { Enc } from '../../../src/data/column-codec.ts';
import { blockOf } from '../../../src/data/format.ts';
import { memoryReader, readHeader } from '../../../src/data/reader.ts';
import type { BarColumns } from '../../../src/schema/bars.ts';
import { oneTimeView } from '../../../src/schema/bars.ts';

/**
 * Bar sets read into shared memory share one time column when their times are identical (codec.ts
 * SharedTimes): W2's 7 aligned assets hold one 7.5 MB column instead of seven. What a read returns must
 * not change: every value bit for bit, whatever the other files held.
 */

/** Aligned minute bars of `symbol` from `start`; `step(i)` is the gap before bar i (ms). */
function bars(symbol: string, n: number, start: number, step: (i: number) => number = (i) => (i % 390 === 0 ? 17.5 * 3_600_000 : 60_000)): BarColumns {
  const b = allocBars(symbol, '1m', n);
  let t = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) t += step(i);
    b.time[i] = t;
    const p = (10_000 + ((i * (symbol.charCodeAt(0) + 7)) % 3000)) / 100;
    b.open[i] = p;
    b.high[i] = p + 0.05;
    b.low[i] = p - 0.05;
    b.close[i] = p + 0.01;
    b.volume[i] = 100 * (i % 50);
  }
  return b;
}

const file = (b: BarColumns, chunkRows?: number) => toBytes(encodeBars(b, chunkRows));
const read = (bytes: Uint8Array, alloc = sharedAllocator, fields?: Parameters<typeof readBars>[3]) => readBars(memoryReader(bytes), undefined, alloc, fields);

/** `b` with its time at row `i` moved by `by` ms (still increasing); length, first and last time unchanged. */
function nudged(b: BarColumns, symbol: string, i: number, by: number): BarColumns {
  const out = bars(symbol, b.length, b.time[0]!);
  out.time.set(b.time);
  out.time[i] = b.time[i]! + by;
  return out;
}

describe('identical time columns read into shared memory are one column', () => {
  it('two sets with the same times share it, each with its own prices bit for bit; plain buffers never share', async () => {
    const start = Date.UTC(2020, 0, 2, 14, 30);
    const a = bars('AAA', 2000, start), b = bars('BBB', 2000, start);
    const [ra, rb] = [await read(file(a)), await read(file(b))];
    expect(rb.time).toBe(ra.time);
    expect(barsEqual(ra, a)).toBe(true);
    expect(barsEqual(rb, b)).toBe(true);
    // Its own allocation: a shared time column holds no other set's prices alive.
    expect(ra.time.buffer).not.toBe(ra.close.buffer);
    const [pa, pb] = [await read(file(a), plainAllocator), await read(file(b), plainAllocator)];
    expect(pb.time).not.toBe(pa.time);
    expect(pa.time.buffer).toBe(pa.close.buffer);
  });

  it('concurrent reads of aligned sets (a run loads its assets at once) still share one column', async () => {
    const start = Date.UTC(2020, 5, 1, 14, 30);
    const sets = ['CCC', 'DDD', 'EEE', 'FFF'].map((s) => bars(s, 3000, start));
    const got = await Promise.all(sets.map((s) => read(file(s, 700))));
    for (let k = 0; k < sets.length; k++) {
      expect(got[k]!.time).toBe(got[0]!.time);
      expect(barsEqual(got[k]!, sets[k]!)).toBe(true);
    }
  });

  it('a set reading only some fields shares it too', async () => {
    const start = Date.UTC(2020, 6, 1, 14, 30);
    const a = bars('GGG', 1500, start), b = bars('HHH', 1500, start);
    const ra = await read(file(a));
    const rb = await read(file(b), sharedAllocator, ['close']);
    expect(rb.time).toBe(ra.time);
    expect(Array.from(rb.close)).toEqual(Array.from(b.close));
  });

  it('the same length, first and last time but one time differing (first, middle or last chunk): its own column, exact', async () => {
    const start = Date.UTC(2020, 1, 3, 14, 30);
    const base = bars('III', 1000, start);
    const first = await read(file(base, 128));
    for (const [i, k] of [[5, 'J'], [500, 'K'], [998, 'L'], [1, 'M'], [128, 'N']] as const) {
      const other = nudged(base, `${k}${k}${k}`, i, 1000);
      const got = await read(file(other, 128));
      expect(got.time).not.toBe(first.time);
      expect(barsEqual(got, other)).toBe(true);
      // The kept column is untouched.
      expect(barsEqual(first, base)).toBe(true);
    }
  });

  it('raw (non-integer) and one-byte delta times are compared as exactly as two-byte ones', async () => {
    const start = 1.5e12 + 0.25;
    const raw = bars('OOO', 900, start, () => 60_000.5);
    const raw2 = bars('PPP', 900, start, () => 60_000.5);
    const rawOff = nudged(raw, 'QQQ', 450, 0.25);
    const h = await readHeader(memoryReader(file(raw)));
    expect(h.blocks[0]!.enc).toBe(Enc.RAW);
    const r1 = await read(file(raw, 300));
    expect((await read(file(raw2, 300))).time).toBe(r1.time);
    const off = await read(file(rawOff, 300));
    expect(off.time).not.toBe(r1.time);
    expect(barsEqual(off, rawOff)).toBe(true);

    const d8 = bars('RRR', 900, Date.UTC(2020, 2, 2), () => 60_000);
    expect((await readHeader(memoryReader(file(d8)))).blocks[0]!.enc).toBe(Enc.DELTA8);
    const d8a = await read(file(d8, 256));
    expect((await read(file(bars('SSS', 900, Date.UTC(2020, 2, 2), () => 60_000), 256))).time).toBe(d8a.time);
    const d8off = nudged(d8, 'TTT', 300, 60_000 * 0.5);
    const got = await read(file(d8off, 256));
    expect(got.time).not.toBe(d8a.time);
    expect(barsEqual(got, d8off)).toBe(true);
  });

  it('a chunk compared in several pieces: one-, two- and four-byte steps, a time differing in a later piece or at its first row', async () => {
    // 600,000 rows in one chunk: three pieces of the comparison (2^18 rows each), so the running time crosses pieces.
    const n = 600_000;
    const cases = [
      { enc: Enc.DELTA8, step: () => 60_000 },
      { enc: Enc.DELTA16, step: (i: number) => (i % 390 === 0 ? 17.5 * 3_600_000 : 60_000) },
      { enc: Enc.DELTA32, step: (i: number) => (i % 5000 === 0 ? 400 * 86_400_000 : 60_000) },
    ];
    let k = 0;
    for (const { enc, step } of cases) {
      const name = () => `X${String(k++).padStart(2, '0')}`;
      const start = Date.UTC(2001, 0, 2) + k * 1000;
      const base = bars(name(), n, start, step);
      expect((await readHeader(memoryReader(file(base)))).blocks[0]!.enc).toBe(enc);
      const first = await read(file(base));
      expect((await read(file(bars(name(), n, start, step)))).time).toBe(first.time);
      for (const row of [(1 << 18) - 1, 1 << 18, (1 << 18) + 1, 2 * (1 << 18) + 17, n - 2]) {
        const other = nudged(base, name(), row, 1);
        const got = await read(file(other));
        expect(got.time, `${enc} row ${row}`).not.toBe(first.time);
        expect(barsEqual(got, other)).toBe(true);
      }
    }
  });

  it('sets sharing one time column carry one timeId, a set with other times another, plain buffers none; oneTimeView gives them one view', async () => {
    const start = Date.UTC(2021, 3, 5, 13, 30);
    const a = await read(file(bars('TIA', 700, start)));
    const b = await read(file(bars('TIB', 700, start)), sharedAllocator, ['close']);
    const other = await read(file(nudged(bars('TIA', 700, start), 'TIC', 350, 1)));
    expect(b.time).toBe(a.time);
    expect(a.timeId).toBeGreaterThan(0);
    expect(b.timeId).toBe(a.timeId);
    expect(other.timeId).toBeGreaterThan(0);
    expect(other.timeId).not.toBe(a.timeId);
    expect((await read(file(bars('TID', 700, start)), plainAllocator)).timeId).toBeUndefined();
    // As a page receives them: each set with a view of its own (a copy stands in for another view here).
    const [pa, pb, po] = oneTimeView([{ ...a, time: a.time.slice() }, { ...b, time: b.time.slice() }, { ...other }]);
    expect(pb!.time).toBe(pa!.time);
    expect(po!.time).toBe(other.time);
    expect(oneTimeView([{ ...a }, { ...b, time: b.time.subarray(0, 10) }])[1]!.time.length).toBe(10);
    const shifted = b.time.map((t) => t + 60_000);
    expect(oneTimeView([{ ...a }, { ...b, time: shifted }])[1]!.time).toBe(shifted);
  });

  it('a read that fails after taking its turn (a corrupt time block) holds up no later read of the same times, and shares nothing', async () => {
    const start = Date.UTC(2020, 3, 1, 14, 30);
    const a = bars('UUU', 1200, start), b = bars('VVV', 1200, start);
    const whole = file(a);
    // The header is intact (so the read takes its turn); a step in the time block is not, so the decoded
    // times miss the chunk's index entry. A truncated file would fail at the header, before any turn.
    const corrupt = whole.slice();
    const tb = blockOf(await readHeader(memoryReader(whole)), 0, 0);
    corrupt[tb.offset + 2 * 600] = corrupt[tb.offset + 2 * 600]! + 1;
    await expect(read(corrupt)).rejects.toThrow(/does not match its index entry/);
    const rb = await read(file(b));
    expect(barsEqual(rb, b)).toBe(true);
    expect((await read(whole)).time).toBe(rb.time);
  });
});
