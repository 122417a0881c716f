import { afterEach, describe, expect, it } from 'vitest';
import { barsEqual, sharedAllocator } from '../../../src/data/columns.ts';
import { encodeBars, readBars, toBytes } from '../../../src/data/codec.ts';
import { loadSizes } from '../../../src/data/load-sizes.ts';
import { memoryReader } from '../../../src/data/reader.ts';
import { barsId, type DatasetInfo } from '../../../src/data/store.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import { reserveTouched, takeTouched, touchedState } from '../../../src/data/touched.ts';
import type { BarColumns, BarField } from '../../../src/schema/bars.ts';

/**
 * The data worker's reserve (src/data/touched.ts): shared memory touched while idle, handed to loads of exactly
 * its sizes. A load that takes it must return the same bars as one that does not, and the sizes the catalog
 * predicts must be the sizes readBars asks for, or the reserve would sit unused while the load faults.
 */

/** Seeded minute bars of `symbols` on one time grid: `sessions` sessions of 390 minutes from `start` (synthetic.ts). */
const minuteSets = (symbols: string[], sessions: number, start: string): BarColumns[] =>
  generateMinuteBars({ symbols, years: 1, sessionsPerYear: sessions, start, seed: 3, gaps: false });

function row(b: BarColumns): DatasetInfo {
  return {
    id: barsId(b.symbol, b.timeframe), kind: 'bars', symbol: b.symbol, key: b.timeframe, first: b.time[0]!, last: b.time[b.length - 1]!,
    rows: b.length, bytes: 0, source: 'test', importedAt: 0, adjusted: false, file: `${b.symbol}.bin`,
  };
}

afterEach(async () => {
  await reserveTouched([]);
});

describe('the touched-memory reserve', () => {
  it('hands a reserved buffer to the first allocation of exactly its size, once; other sizes are new memory', async () => {
    const report = await reserveTouched([3 * 4096, 5000]);
    expect(report).toEqual({ buffers: 2, bytes: 3 * 4096 + 5000, skipped: 0 });
    const { taken } = touchedState();
    const a = sharedAllocator(3 * 4096);
    expect(touchedState()).toMatchObject({ buffers: 1, bytes: 5000, taken: taken + 1 });
    expect(new Uint8Array(a).every((x) => x === 0)).toBe(true);
    expect(sharedAllocator(3 * 4096)).not.toBe(a);
    expect(touchedState().taken).toBe(taken + 1); // that one was new memory, not the reserve's
    expect(sharedAllocator(4999).byteLength).toBe(4999);
    expect(touchedState().buffers).toBe(1);
    expect(takeTouched(5000)?.byteLength).toBe(5000);
    expect(takeTouched(5000)).toBeUndefined();
  });

  it('a reserve asked again keeps the buffers of sizes it asks again, untouched again, and lets the others go', async () => {
    await reserveTouched([8192, 4096]);
    const m0 = touchedState().made;
    await reserveTouched([8192, 16384]);
    expect(touchedState()).toMatchObject({ buffers: 2, bytes: 8192 + 16384, made: m0 + 1 });
    await reserveTouched([8192, 16384]);
    expect(touchedState().made).toBe(m0 + 1);
    expect(takeTouched(4096)).toBeUndefined();
    // A size asked twice needs two buffers: the one kept and one made.
    await reserveTouched([8192, 8192]);
    expect(touchedState()).toMatchObject({ buffers: 2, bytes: 2 * 8192, made: m0 + 2 });
    await reserveTouched([]);
    expect(touchedState()).toMatchObject({ buffers: 0, bytes: 0 });
  });

  it('stops at the cap (what is past it loads into fresh memory) and resolves early when replaced', async () => {
    expect(await reserveTouched([4096, 8192, 4096], 10_000)).toEqual({ buffers: 2, bytes: 8192, skipped: 1 });
    const big = reserveTouched([64 * 2 ** 20]);
    const next = reserveTouched([4096]);
    expect((await big).buffers).toBe(0);
    expect((await next).buffers).toBe(1);
    expect(touchedState()).toMatchObject({ buffers: 1, bytes: 4096 });
  });
});

describe('the sizes a catalog predicts are the sizes the loads ask for', () => {
  async function loadBoth(sets: BarColumns[], fields?: readonly BarField[]) {
    const files = sets.map((b) => toBytes(encodeBars(b, 1000)));
    const sizes = loadSizes(sets.map(row), sets.map((b) => ({ symbol: b.symbol, timeframe: b.timeframe })), fields);
    await reserveTouched(sizes);
    const before = touchedState();
    const got = await Promise.all(files.map((f) => readBars(memoryReader(f), undefined, sharedAllocator, fields)));
    const after = touchedState();
    return { sizes, got, tookAll: after.taken - before.taken === sizes.length && after.buffers === 0 };
  }

  it('aligned sets, the plan fields only: one time column and one price buffer a set, all taken, bars unchanged', async () => {
    const sets = minuteSets(['AAA', 'BBB', 'CCC'], 6, '2021-03-03');
    const n = sets[0]!.length;
    const { sizes, got, tookAll } = await loadBoth(sets, ['open', 'close']);
    expect(sizes).toEqual([2 * n * 8, n * 8, 2 * n * 8, 2 * n * 8]);
    expect(tookAll).toBe(true);
    for (let k = 0; k < sets.length; k++) {
      expect(Array.from(got[k]!.close)).toEqual(Array.from(sets[k]!.close));
      expect(Array.from(got[k]!.open)).toEqual(Array.from(sets[k]!.open));
      expect(Array.from(got[k]!.time)).toEqual(Array.from(sets[k]!.time));
      expect(Number.isNaN(got[k]!.high[0]!)).toBe(true);
    }
    expect(got[1]!.time).toBe(got[0]!.time);
  });

  it('sets with other times and every field: a time column each, all taken, bars bit for bit', async () => {
    const sets = [...minuteSets(['DDD'], 4, '2021-05-03'), ...minuteSets(['EEE'], 5, '2021-05-03')];
    const [n1, n2] = sets.map((b) => b.length);
    const { sizes, got, tookAll } = await loadBoth(sets);
    expect(sizes).toEqual([5 * n1! * 8, n1! * 8, 5 * n2! * 8, n2! * 8]);
    expect(tookAll).toBe(true);
    expect(got.every((g, k) => barsEqual(g, sets[k]!))).toBe(true);
  });

  it('a set whose times are kept from an earlier load needs no time column; unknown sets are left out', async () => {
    const [first, second] = minuteSets(['FFF', 'GGG'], 4, '2021-07-06') as [BarColumns, BarColumns];
    const kept = await readBars(memoryReader(toBytes(encodeBars(first, 1000))), undefined, sharedAllocator);
    const sizes = loadSizes([row(first), row(second)], [{ symbol: 'GGG', timeframe: '1m' }, { symbol: 'ZZZ', timeframe: '1m' }]);
    expect(sizes).toEqual([5 * second.length * 8]);
    const { got, tookAll } = await loadBoth([second]);
    expect(tookAll).toBe(true);
    expect(got[0]!.time).toBe(kept.time);
  });
});
