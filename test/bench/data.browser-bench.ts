/**
 * Store → SharedArrayBuffer load in Chromium: the W2 synthetic set (7 symbols × 10 years × 252 sessions ×
 * 390 minutes = 6,879,600 bars, no gaps) is written to OPFS first (untimed, inside the data worker); then
 * the time to read all of it from OPFS into shared columns visible to the page is measured. Goal ≤ 300 ms.
 * The floor row reads the same files with bare sync-handle reads, interleaved with the loads: the disk and
 * the machine's load bound both, and the ratio is what the store itself costs.
 */
import { wrap } from 'comlink';
import { deleteDB } from 'idb';
import type { DataService } from '../../src/data/browser/service.ts';
import type { BenchRow, BenchSuite } from './harness.ts';

/** The floor: one plain read per file into a SharedArrayBuffer, in a bare worker, no format or catalog. */
const RAW_READER = `onmessage = async (e) => {
  const { dir, files } = e.data;
  const d = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
  const t0 = performance.now();
  let bytes = 0;
  for (const name of files) {
    const h = await (await d.getFileHandle(name)).createSyncAccessHandle({ mode: 'read-only' });
    const size = h.getSize();
    h.read(new Uint8Array(new SharedArrayBuffer(size)), { at: 0 });
    h.close();
    bytes += size;
  }
  postMessage({ ms: performance.now() - t0, bytes });
};`;

async function rawRead(dir: string, files: string[]): Promise<number> {
  const w = new Worker(URL.createObjectURL(new Blob([RAW_READER], { type: 'text/javascript' })));
  try {
    return await new Promise<number>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<{ ms: number }>) => resolve(e.data.ms);
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage({ dir, files });
    });
  } finally {
    w.terminate();
  }
}

const suite: BenchSuite = {
  name: 'data load',
  async run({ quick }) {
    const dir = 'bench-bars', dbName = 'bench-catalog';
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
    await deleteDB(dbName);
    const worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
    const api = wrap<DataService>(worker);
    const rows: Record<string, BenchRow> = {};
    try {
      await api.open({ dir, dbName });
      const years = quick ? 1 : 10;
      let t0 = performance.now();
      const infos = await api.storeSynthetic({ symbols: 7, years, seed: 1, gaps: false });
      const total = infos.reduce((n, i) => n + i.rows, 0);
      const bytes = infos.reduce((n, i) => n + i.bytes, 0);
      rows['generate + write to OPFS (untimed setup)'] = { bars: total, MB: Math.round(bytes / 1e6), ms: Math.round(performance.now() - t0) };
      let best = Infinity, shared = false, floor = Infinity;
      for (let k = 0; k < (quick ? 2 : 4); k++) {
        floor = Math.min(floor, await rawRead(dir, infos.map((i) => i.file)));
        t0 = performance.now();
        const loaded = await Promise.all(infos.map((i) => api.get(i.symbol!, i.key)));
        const ms = performance.now() - t0;
        best = Math.min(best, ms);
        shared = loaded.every((b) => b!.time.buffer instanceof SharedArrayBuffer);
        if (loaded.reduce((n, b) => n + b!.length, 0) !== total) throw new Error('load returned the wrong number of bars');
        console.log(`load ${k}: ${ms.toFixed(0)} ms`);
      }
      rows[`load ${infos.length} symbols into SharedArrayBuffers`] = {
        bars: total, MB: Math.round(bytes / 1e6), ms: Math.round(best), GBps: +(bytes / best / 1e6).toFixed(2), shared, goalMs: 300,
      };
      rows['floor: raw OPFS read of the same files'] = { MB: Math.round(bytes / 1e6), ms: Math.round(floor), GBps: +(bytes / floor / 1e6).toFixed(2) };
      rows['load ÷ floor'] = { ratio: +(best / floor).toFixed(2) };
    } finally {
      await api.close().catch(() => undefined);
      worker.terminate();
      await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
      await deleteDB(dbName);
    }
    return rows;
  },
};

export default suite;
