/**
 * Issue #10, kill during import (real Chromium, OPFS + IndexedDB): the data worker is terminated at several
 * points of a large import (while parsing, when the new file appears, while it grows, right after it is
 * complete). Reopening the store must show a catalog whose every row reads back whole (the old dataset, or
 * the new one complete), and the files the killed worker left must be gone after the start-up collection:
 * the killed writer's Web Lock is released with it, so no 10-minute wait applies.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataService } from '../../../src/data/browser/service.ts';
import type { ProgressInfo } from '../../../src/data/csv/source.ts';

const dir = `kill-bars-${Math.random().toString(36).slice(2)}`;
const dbName = `kill-catalog-${Math.random().toString(36).slice(2)}`;
const workers: Worker[] = [];

function start(): Remote<DataService> {
  const w = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  workers.push(w);
  return wrap<DataService>(w);
}

afterEach(async () => {
  for (const w of workers.splice(0)) w.terminate();
  await (await navigator.storage.getDirectory()).removeEntry(dir, { recursive: true }).catch(() => undefined);
  await deleteDB(dbName);
});

function csv(rows: number, price: number): string {
  const t0 = Date.UTC(2020, 0, 2, 14, 30);
  const out = ['time,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) out.push(`${t0 + i * 60_000},${price},${price + 1},${price - 1},${(price + (i % 997) / 100).toFixed(2)},${i}`);
  return out.join('\n');
}

async function storeFiles(): Promise<Map<string, number>> {
  const d = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
  const out = new Map<string, number>();
  for await (const [name, h] of (d as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries()) {
    // The worker may remove a file between the listing and this read (a temp file renamed, an old file dropped
    // after a swap): it is gone, not an error. Seen in CI as a NotFoundError from this loop.
    const size = await h.getFile().then((f) => f.size, (e: unknown) => {
      if (e instanceof DOMException && e.name === 'NotFoundError') return null;
      throw e;
    });
    if (size !== null) out.set(name, size);
  }
  return out;
}

/** Rows, last close and a checksum of what the store returns for ABC 1m. */
async function readBack(api: Remote<DataService>): Promise<string> {
  const b = await api.get('ABC', '1m');
  if (!b) return 'none';
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += b.close[i]! + b.volume[i]! * 1e-6 + (b.time[i]! % 1e7) * 1e-9;
  return `${b.length} rows, last ${b.close[b.length - 1]}, sum ${sum.toFixed(6)}`;
}

type Point = 'parsing 10%' | 'parsing 90%' | 'new file appears' | 'new file partly written' | 'new file complete';
const POINTS: Point[] = ['parsing 10%', 'parsing 90%', 'new file appears', 'new file partly written', 'new file complete'];
const FULL = (rows: number) => 168 + rows * 48;

describe('kill during import (Chromium)', () => {
  it('terminating the data worker at several points leaves no half-written store, the old data intact and no stray file', async () => {
    const OLD = 300, BIG = 200_000;
    let api = start();
    await api.open({ dir, dbName });
    await api.importBars('old', new File([csv(OLD, 50)], 'ABC.csv'), { fileName: 'ABC.csv' });
    const oldFile = (await api.list())[0]!.file;
    const expectedOld = await readBack(api);
    const big = new File([csv(BIG, 100)], 'ABC.csv');
    const seen: string[] = [];

    for (const point of POINTS) {
      const before = await storeFiles();
      let fraction = 0;
      const job = api.importBars(`big-${point}`, big, { fileName: 'ABC.csv' }, proxy((p: ProgressInfo) => { fraction = p.bytesRead / big.size; }));
      job.catch(() => undefined);
      let orphan = '';
      // Polls the directory from the page while the worker writes: the moment to kill is seen, not timed.
      for (let polls = 0; ; polls++) {
        if (point === 'parsing 10%' && fraction >= 0.1) break;
        if (point === 'parsing 90%' && fraction >= 0.9) break;
        if (point.startsWith('new file')) {
          const now = await storeFiles();
          const fresh = [...now].find(([n]) => !before.has(n));
          if (fresh && (point === 'new file appears' || (point === 'new file partly written' ? fresh[1] > 0 : fresh[1] >= FULL(BIG)))) {
            orphan = `${fresh[0]} at ${fresh[1]} bytes`;
            break;
          }
        }
        if (await Promise.race([job.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 1))])) break;
        if (polls > 60_000) throw new Error(`never reached ${point}`);
      }
      const finished = await Promise.race([job.then(() => true, () => true), Promise.resolve(false)]);
      workers.at(-1)!.terminate();
      const left = [...(await storeFiles()).keys()];
      // terminate() returns before the browser has torn the worker down; its write lock goes with it.
      await expect.poll(async () => (await navigator.locks.query()).held?.filter((l) => l.name?.includes(`:${dir}:`)).length, { interval: 5, timeout: 30_000 }).toBe(0);

      api = start();
      await api.open({ dir, dbName });
      const list = await api.list();
      const got = await readBack(api);
      const files = [...(await storeFiles()).keys()];
      seen.push(`${point}: ${finished ? 'import had finished' : 'killed'}${orphan ? ` (${orphan})` : ''}, ${left.length} files left → ${files.length} after reopen; ${got}`);
      // Whole, never half: the old dataset exactly, or the new one complete.
      expect(list).toHaveLength(1);
      expect([expectedOld, `${BIG} rows`]).toContain(got.startsWith(`${BIG} rows`) ? `${BIG} rows` : got);
      if (point.startsWith('parsing')) expect(got).toBe(expectedOld);
      // Nothing but the catalog's file survives the start-up collection.
      expect(files).toEqual([list[0]!.file]);
      if (got === expectedOld) expect(list[0]!.file).toBe(oldFile);
    }
    console.log(`kill during import: ${POINTS.length} kill points, ${BIG.toLocaleString('en-US')}-row import\n  ${seen.join('\n  ')}`);
  });
});
