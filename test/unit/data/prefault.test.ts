import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBars, readBars, toBytes } from '../../../src/data/codec.ts';
import { sharedAllocator } from '../../../src/data/columns.ts';
import { helperPrefault, startHelper, touchPages, type PageRange, type Prefault } from '../../../src/data/prefault.ts';
import { memoryReader } from '../../../src/data/reader.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import type { BarColumns } from '../../../src/schema/bars.ts';

const same = (a: BarColumns, b: BarColumns) => {
  for (const f of ['time', 'open', 'close'] as const) expect(Buffer.from(a[f].buffer, a[f].byteOffset, a[f].byteLength).equals(Buffer.from(b[f].buffer, b[f].byteOffset, b[f].byteLength))).toBe(true);
};

/**
 * A helper that answers late (after a timer) and checks, when asked and again when it answers, that nothing
 * was written into its ranges: the decoder may write there only after the answer.
 */
function lateHelper(): { prefault: Prefault; asked: PageRange[]; untouched: boolean[] } {
  const asked: PageRange[] = [], untouched: boolean[] = [];
  const zero = (r: PageRange) => new Uint8Array(r.buffer, r.from, r.to - r.from).every((x) => x === 0);
  const prefault: Prefault = (ranges) => {
    asked.push(...ranges);
    untouched.push(ranges.every(zero));
    return new Promise((resolve) => setTimeout(() => {
      untouched.push(ranges.every(zero));
      touchPages(ranges);
      resolve();
    }, 5));
  };
  return { prefault, asked, untouched };
}

describe('a helper taking the fresh pages of a load (data/prefault.ts)', () => {
  it('touchPages writes a zero at the start of each range and at each 4 KiB page boundary in it, nothing else', () => {
    const buffer = new SharedArrayBuffer(5 * 4096);
    const bytes = new Uint8Array(buffer).fill(0xaa);
    touchPages([{ buffer, from: 100, to: 8192 + 10 }, { buffer, from: 4 * 4096 + 7, to: 4 * 4096 + 8 }]);
    const zeros = [...bytes.keys()].filter((i) => bytes[i] === 0);
    expect(zeros).toEqual([100, 4096, 8192, 4 * 4096 + 7]);
  });

  it('a load with a late helper gives the bytes of a load without one, and writes a column\'s head only after the helper answered', async () => {
    for (const [chunkRows, seed] of [[1 << 21, 8], [150_000, 9]] as const) {
      // Another seed each time: other halts, another length, so the helped read decodes its own time column
      // (a whole-file read in shared memory shares one with an earlier read of the same times: SharedTimes).
      const [b] = generateMinuteBars({ symbols: ['AAA'], years: 2.5, seed, gaps: true });
      const bytes = toBytes(encodeBars(b!, chunkRows));
      const h = lateHelper();
      const helped = await readBars(memoryReader(bytes), undefined, sharedAllocator, ['open', 'close'], h.prefault);
      same(helped, await readBars(memoryReader(bytes), undefined, sharedAllocator, ['open', 'close']));
      same(helped, b!);
      // Per chunk: the heads of the time column, open and close (each the part its encoded bytes do not fill).
      const chunks = Math.ceil(b!.length / chunkRows);
      expect(h.asked).toHaveLength(3 * chunks);
      expect(h.untouched).toHaveLength(2 * 3 * chunks);
      expect(h.untouched.every(Boolean)).toBe(true);
      const n = Math.min(chunkRows, b!.length);
      expect(h.asked[1]!.to - h.asked[1]!.from).toBe(n * 4); // scaled prices: 4 bytes a row encoded, 8 decoded
      expect(h.asked[1]!.buffer).toBe(helped.open.buffer);
    }
  });

  it('a set compared with a kept time column asks for its price heads before comparing, and for a time head only where the times differ', async () => {
    // Three aligned sets (another seed than above, so their times are kept by none of its reads), two chunks each.
    const [a, b] = generateMinuteBars({ symbols: ['CCC', 'DDD'], years: 4, seed: 10, gaps: false });
    const chunkRows = 200_000;
    // The second chunk's heads pass PREFAULT_MIN_BYTES too: its time column's alone (6 bytes a row of two-byte steps).
    expect((a!.length - chunkRows) * 6).toBeGreaterThan(1 << 20);
    const kept = await readBars(memoryReader(toBytes(encodeBars(a!, chunkRows))), undefined, sharedAllocator, ['open', 'close']);
    const h = lateHelper();
    const matched = await readBars(memoryReader(toBytes(encodeBars(b!, chunkRows))), undefined, sharedAllocator, ['open', 'close'], h.prefault);
    expect(matched.time).toBe(kept.time);
    same(matched, b!);
    expect(h.asked).toHaveLength(4); // open and close, per chunk
    expect(h.asked.every((r) => r.buffer === matched.open.buffer)).toBe(true);
    // Times that differ in the second chunk only: its own time column from there, whose head is asked after.
    const time = b!.time.slice();
    time[chunkRows + 1000] = time[chunkRows + 1000]! + 30_000; // half a minute: still two-byte steps (of 30 s)
    const c = { ...b!, symbol: 'EEE', time };
    const h2 = lateHelper();
    const differs = await readBars(memoryReader(toBytes(encodeBars(c, chunkRows))), undefined, sharedAllocator, ['open', 'close'], h2.prefault);
    expect(differs.time).not.toBe(kept.time);
    same(differs, c);
    same(differs, await readBars(memoryReader(toBytes(encodeBars(c, chunkRows))), undefined, sharedAllocator, ['open', 'close']));
    expect(h2.asked).toHaveLength(5);
    expect(h2.asked.map((r) => r.buffer === differs.time.buffer)).toEqual([false, false, false, false, true]);
    expect([...h.untouched, ...h2.untouched].every(Boolean)).toBe(true);
  });

  it('regression: comparing raw-stored times wrote its pieces into a price column\'s head while the helper was asked for it', async () => {
    // Non-integer times are stored raw (8 bytes a row): a piece of them is as large as a whole price column.
    const [a0, b0] = generateMinuteBars({ symbols: ['FFF', 'GGG'], years: 1.5, seed: 11, gaps: false });
    const time = Float64Array.from(a0!.time, (_, i) => 1.5e12 + 0.25 + i * 60_000.5);
    const a = { ...a0!, time }, b = { ...b0!, time: time.slice() };
    expect(a.length).toBeGreaterThan(131_072); // the price heads pass PREFAULT_MIN_BYTES
    const kept = await readBars(memoryReader(toBytes(encodeBars(a))), undefined, sharedAllocator, ['open', 'close']);
    const h = lateHelper();
    const got = await readBars(memoryReader(toBytes(encodeBars(b))), undefined, sharedAllocator, ['open', 'close'], h.prefault);
    expect(got.time).toBe(kept.time);
    same(got, b);
    expect(h.asked).toHaveLength(2);
    expect(h.untouched.every(Boolean)).toBe(true);
  });

  it('is not asked for small loads, plain memory or raw-stored columns', async () => {
    const [b] = generateMinuteBars({ symbols: ['AAA'], years: 0.2, seed: 8, gaps: false });
    const h = lateHelper();
    const bytes = toBytes(encodeBars(b!));
    const small = await readBars(memoryReader(bytes), undefined, sharedAllocator, ['close'], h.prefault);
    expect(h.asked).toEqual([]); // 19,656 rows: under a MiB of heads
    same(small, await readBars(memoryReader(bytes), undefined, sharedAllocator, ['close']));
    const [big] = generateMinuteBars({ symbols: ['AAA'], years: 1.2, seed: 8, gaps: false });
    await readBars(memoryReader(toBytes(encodeBars(big!))), undefined, undefined, ['close'], h.prefault);
    expect(h.asked).toEqual([]); // a plain ArrayBuffer: no other thread can share it
  });

  it('helperPrefault answers each request when the helper does, and every pending and later one at once when the helper fails', async () => {
    const port = new EventTarget() as EventTarget & { postMessage(m: unknown): void };
    const posted: { id: number }[] = [];
    port.postMessage = (m) => { posted.push(m as { id: number }); };
    const take = helperPrefault(port as never);
    const range = { buffer: new SharedArrayBuffer(8), from: 0, to: 8 };
    let first = false, second = false;
    void take([range]).then(() => { first = true; });
    void take([range]).then(() => { second = true; });
    expect(posted.map((m) => m.id)).toEqual([1, 2]);
    port.dispatchEvent(new MessageEvent('message', { data: { id: 2 } }));
    port.dispatchEvent(new MessageEvent('message', { data: { id: 99 } })); // nobody's: ignored
    await Promise.resolve();
    expect([first, second, take.answered()]).toEqual([false, true, 1]);
    port.dispatchEvent(new Event('error'));
    await Promise.resolve();
    expect(first).toBe(true);
    await take([range]); // resolves without a helper
    expect(posted).toHaveLength(2);
  });

  afterEach(() => { vi.unstubAllGlobals(); });

  it('startHelper starts one only where a worker can start another and memory is shared; a start that throws gives none', () => {
    const port = () => Object.assign(new EventTarget(), { postMessage: () => undefined }) as never;
    let spawned = 0;
    const spawn = () => { spawned++; return port(); };
    vi.stubGlobal('Worker', undefined);
    expect(startHelper(spawn)).toBeUndefined();
    vi.stubGlobal('Worker', class {});
    vi.stubGlobal('crossOriginIsolated', false);
    expect(startHelper(spawn)).toBeUndefined();
    expect(spawned).toBe(0);
    vi.stubGlobal('crossOriginIsolated', true);
    expect(startHelper(() => { throw new Error('no nested workers'); })).toBeUndefined();
    expect(startHelper(spawn)?.answered()).toBe(0);
    expect(spawned).toBe(1);
  });
});
