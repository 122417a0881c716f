import { wrap } from 'comlink';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataService } from '../../../src/data/browser/service.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import type { RunProgress } from '../../../src/ui/runner.ts';
import { createBrowserRunner } from '../../../src/ui/runner-browser.ts';
import type { BarSource } from '../../../src/ui/runner-pool.ts';
import { crossDoc, dailyBars, parse } from '../../unit/pool/fixture.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

/** The data worker on its own OPFS directory and catalog, holding the fixture's daily bars. */
async function dataWorker(): Promise<{ source: BarSource; gets: () => number }> {
  const tag = Math.random().toString(36).slice(2);
  const worker = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<DataService>(worker);
  await api.open({ dir: `runner-bars-${tag}`, dbName: `runner-catalog-${tag}` });
  cleanup.push(async () => {
    await api.close();
    worker.terminate();
    await (await navigator.storage.getDirectory()).removeEntry(`runner-bars-${tag}`, { recursive: true }).catch(() => undefined);
    await deleteDB(`runner-catalog-${tag}`);
  });
  for (const b of dailyBars()) await api.put(b);
  let n = 0;
  const source: BarSource = { list: () => api.list(), get: (s, tf) => { n++; return api.get(s, tf); }, getSeries: (name, s) => api.getSeries(name, s) };
  return { source, gets: () => n };
}

function runner(source: BarSource, share?: boolean) {
  const jobsDb = `runner-jobs-${Math.random().toString(36).slice(2)}`;
  const r = createBrowserRunner({ data: source, size: 2, share, jobsDb });
  cleanup.push(() => deleteDB(jobsDb), () => r.close());
  return r;
}

describe('PoolRunner: the UI Runner on stored bars and the engine pool', () => {
  it('runs a document on bars loaded from OPFS, equal to an in-page run, shared or copied', async () => {
    const { source, gets } = await dataWorker();
    const doc = crossDoc();
    const expected = runBacktest(doc, { bars: dailyBars() });
    for (const share of [true, false]) {
      const r = runner(source, share);
      expect(r.shared).toBe(share);
      const seen: RunProgress[] = [];
      const result = await r.run(doc, { onProgress: (p) => seen.push(p) });
      expect(result).toEqual(expected);
      expect(seen.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p)).toEqual(['queued', 'warmingUp', 'running']);
      // A second run reuses the loaded data set (the catalog files did not change).
      const before = gets();
      expect(await r.run(doc)).toEqual(expected);
      expect(gets()).toBe(before);
    }
  });

  it('rejects with AbortError when aborted and names missing data', async () => {
    const { source } = await dataWorker();
    const r = runner(source);
    const ctl = new AbortController();
    const run = r.run(crossDoc(), { signal: ctl.signal });
    ctl.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const other = parse({ ...crossDoc(), settings: { ...crossDoc().settings, universe: ['AAA', 'ZZZ'] }, strategies: [{ id: 'x', name: 'x', action: { type: 'alert', message: 'hi' } }] });
    await expect(r.run(other)).rejects.toThrow(/no 1d bars stored for ZZZ/);
  });
});
