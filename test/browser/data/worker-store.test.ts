import { proxy, transfer, wrap, type Remote } from 'comlink';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataService } from '../../../src/data/browser/service.ts';
import { storageInfo, requestPersistence } from '../../../src/data/browser/storage.ts';
import type { ProgressInfo } from '../../../src/data/csv/source.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';

/** Each test gets its own OPFS directory and IndexedDB database, removed afterwards. */
let n = 0;
let dir = '', dbName = '';
let worker: Worker;
let api: Remote<DataService>;

function csv(rows: number, price: number, t0 = Date.UTC(2020, 0, 2, 14, 30)): string {
  const out = ['time,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) out.push(`${t0 + i * 60_000},${price},${price + 1},${price - 1},${(price + i / 100).toFixed(2)},${i}`);
  return out.join('\n');
}

beforeEach(async () => {
  dir = `test-bars-${n}-${Math.random().toString(36).slice(2)}`;
  dbName = `test-catalog-${n++}-${Math.random().toString(36).slice(2)}`;
  worker = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  api = wrap<DataService>(worker);
  await api.open({ dir, dbName });
});

afterEach(async () => {
  await api.close();
  worker.terminate();
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
  await deleteDB(dbName);
});

async function opfsFile(name: string): Promise<FileSystemFileHandle> {
  return (await (await navigator.storage.getDirectory()).getDirectoryHandle(dir)).getFileHandle(name);
}

/**
 * The first byte at which two columns differ, or −1 (−2: their lengths differ). toEqual over two 1.2 MB byte
 * arrays took ~3 s each in Chromium: this test took 20 s alone and 66 s in a loaded CI run, past its timeout.
 */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.byteLength !== b.byteLength) return -2;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('data worker: OPFS + IndexedDB store in real Chromium', () => {
  it('imports a CSV file, lists it, and loads it into SharedArrayBuffer columns', async () => {
    const seen: ProgressInfo[] = [];
    const file = new File([csv(20_000, 100)], 'ABC.csv');
    const { report, info } = await api.importBars('job1', file, { fileName: 'ABC.csv' }, proxy((p: ProgressInfo) => { seen.push(p); }));
    expect(report).toMatchObject({ symbol: 'ABC', timeframe: '1m', rowsKept: 20_000, rowsRejected: 0 });
    expect(info).toMatchObject({ symbol: 'ABC', key: '1m', rows: 20_000, source: 'ABC.csv' });
    expect(seen.at(-1)!.bytesRead).toBe(file.size);
    expect(seen.at(-1)!.totalBytes).toBe(file.size);
    const list = await api.list();
    expect(list.map((d) => d.id)).toEqual(['bars:ABC:1m']);
    const bars = (await api.get('ABC', '1m'))!;
    expect(crossOriginIsolated).toBe(true);
    expect(bars.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bars.length).toBe(20_000);
    expect(bars.close[19_999]).toBe(299.99);
    const part = (await api.get('ABC', '1m', { from: bars.time[100], to: bars.time[200] }))!;
    expect(part.length).toBe(100);
    expect(part.volume[0]).toBe(100);
    expect(await api.delete('ABC', '1m')).toBe(true);
    expect(await api.list()).toEqual([]);
    expect(await api.collectGarbage()).toEqual([]);
  });

  it('loads big bar sets with its helper thread taking their fresh pages (src/data/prefault.ts): the values stored, byte for byte', async () => {
    const opts = { symbols: ['PFA', 'PFB'], years: 1.5, seed: 12, gaps: true };
    await api.storeSynthetic(opts);
    expect(await api.prefaulted()).toBe(0);
    const want = generateMinuteBars(opts);
    for (const [k, symbol] of opts.symbols.entries()) {
      const got = (await api.get(symbol, '1m', undefined, ['open', 'close']))!;
      expect(got.close.buffer).toBeInstanceOf(SharedArrayBuffer);
      for (const f of ['time', 'open', 'close'] as const) {
        expect(firstDifference(got[f], want[k]![f]), `${symbol} ${f}`).toBe(-1);
      }
    }
    // The time column of each set (other halts, other times) and both price columns: 3 heads a set.
    expect(await api.prefaulted()).toBe(6);
  });

  it('a stream that fails in the middle of an import leaves the previous dataset intact', async () => {
    await api.importBars('a', new File([csv(1000, 50)], 'X.csv'), { symbol: 'X' });
    const before = await api.list();
    const good = new TextEncoder().encode(csv(50_000, 70));
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > good.length / 2) return c.error(new Error('connection reset'));
        c.enqueue(good.slice(sent, sent + 65_536));
        sent += 65_536;
      },
    });
    await expect(api.importBars('b', transfer(failing, [failing as unknown as Transferable]), { symbol: 'X' })).rejects.toThrow(/connection reset/);
    expect(await api.list()).toEqual(before);
    const bars = (await api.get('X', '1m'))!;
    expect(bars.length).toBe(1000);
    expect(bars.open[0]).toBe(50);
    expect(await api.collectGarbage()).toEqual([]);
  });

  it('a cancelled import leaves the previous dataset intact', async () => {
    await api.importBars('a', new File([csv(500, 10)], 'Y.csv'), { symbol: 'Y' });
    const before = await api.list();
    const big = new File([csv(400_000, 20)], 'Y.csv');
    let cancelled = false;
    const run = api.importBars('big', big, { symbol: 'Y' }, proxy((p: ProgressInfo) => {
      if (!cancelled && p.bytesRead > big.size / 3) { cancelled = true; void api.cancel('big'); }
    }));
    await expect(run).rejects.toThrow(/cancelled/);
    expect(await api.list()).toEqual(before);
    expect((await api.get('Y', '1m'))!.open[0]).toBe(10);
  });

  it('refuses damaged files with a clear error', async () => {
    const { info } = await api.importBars('a', new File([csv(3000, 10)], 'Z.csv'), { symbol: 'Z' });
    const fh = await opfsFile(info.file);
    const bytes = new Uint8Array(await (await fh.getFile()).arrayBuffer());
    const rewrite = async (b: Uint8Array) => {
      const w = await fh.createWritable();
      await w.write(b as Uint8Array<ArrayBuffer>);
      await w.close();
    };
    await rewrite(bytes.slice(0, bytes.length - 100));
    await expect(api.get('Z', '1m')).rejects.toThrow(/truncated: header says 3000 rows/);
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 0;
    await rewrite(wrongMagic);
    await expect(api.get('Z', '1m')).rejects.toThrow(/wrong magic/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 99, true);
    await rewrite(newer);
    await expect(api.get('Z', '1m')).rejects.toThrow(/unknown format version 99/);
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes);
    await rewrite(padded);
    await expect(api.get('Z', '1m')).rejects.toThrow(/row count 3000 disagrees with the file size/);
  });

  it('stores the embedded data and step series', async () => {
    const infos = await api.storeEmbedded();
    expect(infos.filter((i) => i.kind === 'bars').map((i) => i.symbol).sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT', 'SPX']);
    expect(infos.filter((i) => i.kind === 'series').map((i) => [i.key, i.symbol, i.rows])).toEqual([['nonfarm', null, 120], ['nonfarm_change', null, 120]]);
    expect((await api.getSeries('nonfarm_change', null))!.value[0]).toBe(282);
    expect((await api.get('SPX', '1d'))!.length).toBe(5105);
    await api.putSeries({ name: 'cpi', symbol: null, length: 2, time: new Float64Array([1, 2]), value: new Float64Array([3, 4]) });
    expect(Array.from((await api.getSeries('cpi', null))!.value)).toEqual([3, 4]);
  });

  it('reports quota and usage, and answers a persistence request', async () => {
    const before = await storageInfo();
    expect(before.quota).toBeGreaterThan(0);
    await api.storeSynthetic({ symbols: 1, years: 0.2, seed: 5 });
    const after = await storageInfo();
    expect(after.usage).toBeGreaterThan(before.usage);
    expect(typeof (await requestPersistence())).toBe('boolean');
  });
});
