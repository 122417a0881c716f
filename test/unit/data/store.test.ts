import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocBars, barsEqual } from '../../../src/data/columns.ts';
import { DatasetStore } from '../../../src/data/dataset-store.ts';
import type { EncodedFile } from '../../../src/data/format.ts';
import { importIntoStore } from '../../../src/data/import-to-store.ts';
import { loadBars, loadUniverse } from '../../../src/data/loader.ts';
import { MemoryCatalog, MemoryFiles } from '../../../src/data/memory-store.ts';
import { createFsStore } from '../../../src/data/node/fs-store.ts';
import type { BarStore } from '../../../src/data/store.ts';
import { ManualClock } from '../../../src/lib/clock.ts';
import type { BarColumns } from '../../../src/schema/bars.ts';

function bars(symbol: string, n: number, price = 100, step = 60_000): BarColumns {
  const b = allocBars(symbol, '1m', n);
  for (let i = 0; i < n; i++) {
    b.time[i] = 1_700_000_000_000 + i * step;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = price + i / 100;
    b.volume[i] = i;
  }
  return b;
}

/** A file backend that fails after writing some pieces, like a full disk or a crash mid-write. */
class FailingFiles extends MemoryFiles {
  failAfter = Infinity;
  override async write(name: string, file: EncodedFile, signal?: AbortSignal): Promise<void> {
    let n = 0;
    const limit = this.failAfter;
    const wrapped: EncodedFile = { ...file, *pieces() { for (const p of file.pieces()) { if (n++ >= limit) throw new Error('disk full'); yield p; } } };
    return super.write(name, wrapped, signal);
  }
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const stores: [string, () => Promise<BarStore>][] = [
  ['memory', async () => new DatasetStore(new MemoryFiles(), new MemoryCatalog(), new ManualClock(42))],
  ['file system', async () => {
    const d = await mkdtemp(join(tmpdir(), 'bars-'));
    dirs.push(d);
    return createFsStore(d, new ManualClock(42));
  }],
];

describe.each(stores)('%s store', (_, make) => {
  it('puts, lists, gets (whole and by range), replaces and deletes', async () => {
    const s = await make();
    const a = bars('AAA', 1000);
    const info = await s.put(a, { source: 'test', adjusted: true });
    expect(info).toMatchObject({ kind: 'bars', symbol: 'AAA', key: '1m', rows: 1000, source: 'test', adjusted: true, importedAt: 42, first: a.time[0], last: a.time[999] });
    expect(barsEqual((await s.get('AAA', '1m'))!, a)).toBe(true);
    const r = (await s.get('AAA', '1m', { range: { from: a.time[10], to: a.time[20] } }))!;
    expect(r.length).toBe(10);
    expect(r.close[0]).toBe(a.close[10]);
    expect(await s.get('AAA', '1d')).toBeNull();
    const b = bars('AAA', 5, 7);
    await s.put(b);
    expect(barsEqual((await s.get('AAA', '1m'))!, b)).toBe(true);
    expect((await s.list()).map((d) => d.id)).toEqual(['bars:AAA:1m']);
    expect(await s.delete('AAA', '1m')).toBe(true);
    expect(await s.delete('AAA', '1m')).toBe(false);
    expect(await s.list()).toEqual([]);
  });

  it('stores step series per symbol and global', async () => {
    const s = await make();
    const cpi = { name: 'cpi', symbol: null, length: 2, time: new Float64Array([1, 2]), value: new Float64Array([1, 2]) };
    await s.putSeries(cpi);
    await s.putSeries({ ...cpi, symbol: 'AAPL', name: 'eps' });
    expect((await s.getSeries('cpi', null))!.length).toBe(2);
    expect((await s.getSeries('eps', 'AAPL'))!.symbol).toBe('AAPL');
    expect(await s.getSeries('cpi', 'AAPL')).toBeNull();
    expect(await s.deleteSeries('cpi', null)).toBe(true);
    expect((await s.list()).length).toBe(1);
  });

  it('loads into SharedArrayBuffer columns and merges a timeline', async () => {
    const s = await make();
    await s.put(bars('A', 10, 1, 60_000));
    await s.put(bars('B', 10, 1, 120_000));
    const a = await loadBars(s, 'A', '1m');
    expect(a.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    const u = await loadUniverse(s, ['A', 'B'], '1m');
    expect(u.timeline.length).toBe(15);
    await expect(loadBars(s, 'C', '1m')).rejects.toThrow(/no 1m bars stored for C/);
  });

  it('an import whose source fails or is cancelled leaves the old dataset as it was', async () => {
    const s = await make();
    const old = bars('SPY', 50);
    await s.put(old, { source: 'old' });
    const before = await s.list();
    async function* failing() {
      yield new TextEncoder().encode('time,open,high,low,close,volume\n1700000000000,1,1,1,1,1\n');
      throw new Error('network dropped');
    }
    await expect(importIntoStore(s, failing(), { symbol: 'SPY', timeframe: '1m' })).rejects.toThrow('network dropped');
    const ac = new AbortController();
    ac.abort();
    await expect(importIntoStore(s, 'time,open,high,low,close,volume\n1700000000000,1,1,1,1,1\n', { symbol: 'SPY', timeframe: '1m', signal: ac.signal })).rejects.toThrow(/abort/i);
    expect(await s.list()).toEqual(before);
    expect(barsEqual((await s.get('SPY', '1m'))!, old)).toBe(true);
  });
});

describe('atomic put', () => {
  it('a write failing half-way keeps the previous file and catalog, and leaves no partial file', async () => {
    const files = new FailingFiles();
    const s = new DatasetStore(files, new MemoryCatalog());
    const old = bars('X', 300);
    await s.put(old);
    const names = await files.names();
    files.failAfter = 3;
    const big = bars('X', 200_000);
    await expect(s.put(big)).rejects.toThrow('disk full');
    expect(await files.names()).toEqual(names);
    expect(barsEqual((await s.get('X', '1m'))!, old)).toBe(true);
  });

  it('a catalog that refuses the swap removes the new file', async () => {
    const files = new MemoryFiles();
    const catalog = new MemoryCatalog();
    const s = new DatasetStore(files, catalog);
    await s.put(bars('X', 3));
    const names = await files.names();
    catalog.set = async () => { throw new Error('quota exceeded'); };
    await expect(s.put(bars('X', 9))).rejects.toThrow('quota exceeded');
    expect(await files.names()).toEqual(names);
  });

  it('a catalog past the storage quota (IndexedDB shares it with the files) gives the clear storage-full error, not the browser\'s raw one', async () => {
    const files = new MemoryFiles();
    const catalog = new MemoryCatalog();
    const s = new DatasetStore(files, catalog);
    await s.put(bars('X', 3));
    const names = await files.names();
    const full = async (): Promise<never> => { throw new DOMException('The operation failed because it would cause the application to exceed its storage quota.', 'QuotaExceededError'); };
    catalog.set = full;
    catalog.swap = full;
    const err = await s.put(bars('X', 9)).then(() => null, (e: unknown) => e as Error);
    expect(err?.name).toBe('StorageFullError');
    expect(err?.message).toMatch(/^not enough storage to save [\d.]+ MB: the file was written but the catalog could not record it/);
    expect(err?.message).toMatch(/the previous data are kept/);
    expect(await files.names()).toEqual(names);
    expect((await s.get('X', '1m'))?.length).toBe(3);
  });

  it('the fs store leaves no temp file after a failed write and collects orphans', async () => {
    const d = await mkdtemp(join(tmpdir(), 'bars-'));
    dirs.push(d);
    const s = createFsStore(d);
    await s.put(bars('Y', 10));
    const ac = new AbortController();
    const enc = bars('Y', 100_000);
    const p = s.put(enc, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toThrow(/abort/i);
    expect((await readdir(d)).sort()).toHaveLength(2);
    await writeFile(join(d, 'bars~Y~1m~deadbeef.col'), 'orphan');
    expect(await s.collectGarbage()).toEqual(['bars~Y~1m~deadbeef.col']);
    expect(JSON.parse(await readFile(join(d, 'catalog.json'), 'utf8'))['bars:Y:1m'].rows).toBe(10);
  });

  it('a corrupted file is refused on read with the file named', async () => {
    const d = await mkdtemp(join(tmpdir(), 'bars-'));
    dirs.push(d);
    const s = createFsStore(d);
    const info = await s.put(bars('Z', 10));
    const path = join(d, info.file);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 1));
    await expect(s.get('Z', '1m')).rejects.toThrow(new RegExp(`${info.file}: truncated`));
  });
});
