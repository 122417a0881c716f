import { wrap, type Remote } from 'comlink';
import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataService } from '../../../src/data/browser/service.ts';
import { DATA_DB_VERSION } from '../../../src/data/browser/idb-catalog.ts';

/** Corporate actions in the data worker's IndexedDB (issue 11 item 3), in real Chromium. */
let n = 0;
const opened: { worker: Worker; api: Remote<DataService>; dir: string; dbName: string }[] = [];

async function start(dbName = `test-actions-${n++}-${Math.random().toString(36).slice(2)}`) {
  const dir = `test-actions-bars-${n}-${Math.random().toString(36).slice(2)}`;
  const worker = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<DataService>(worker);
  await api.open({ dir, dbName });
  opened.push({ worker, api, dir, dbName });
  return api;
}

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.api.close();
    o.worker.terminate();
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(o.dir, { recursive: true }).catch(() => undefined);
    await deleteDB(o.dbName);
  }
});

const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe('corporate actions in IndexedDB', () => {
  it('a version-1 database upgrades in place: its catalog rows stay, the actions store is added', async () => {
    const dbName = `test-actions-upgrade-${Math.random().toString(36).slice(2)}`;
    const v1 = await openDB(dbName, 1, { upgrade(d) { d.createObjectStore('catalog', { keyPath: 'id' }); } });
    await v1.put('catalog', { id: 'series:*:x', kind: 'series', symbol: null, key: 'x', first: 0, last: 1, rows: 2, bytes: 3, source: 's', importedAt: 0, adjusted: false, file: 'f.col' });
    v1.close();
    const api = await start(dbName);
    expect((await api.list()).map((d) => d.id)).toEqual(['series:*:x']);
    expect(await api.listActions()).toEqual([]);
    await api.close();
    const db = await openDB(dbName);
    expect(db.version).toBe(DATA_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['actions', 'catalog']);
    db.close();
  });

  it('imports, lists and replaces per symbol; a file with a bad line changes nothing and says where', async () => {
    const api = await start();
    const first = new File(['symbol,date,type,value\nAAPL,2020-08-31,split,4\nAAPL,2020-08-07,dividend,0.82\nKO,2021-03-12,dividend,0.42\n'], 'first.csv');
    const rows = await api.importActions(first, 'first.csv');
    expect(rows.map((r) => [r.symbol, r.actions.length])).toEqual([['AAPL', 2], ['KO', 1]]);
    const bad = new File(['symbol,date,type,value\nKO,2022-01-03,split,2\nAAPL,2021-13-01,dividend,1\n'], 'bad.csv');
    await expect(api.importActions(bad, 'bad.csv')).rejects.toThrow(/bad\.csv:3:2 \(date\): "2021-13-01" is not an ex-date/);
    const second = new File(['symbol,date,type,value\nKO,2022-01-03,split,3:2\n'], 'second.csv');
    await api.importActions(second, 'second.csv');
    const list = await api.listActions();
    expect(list.map((r) => ({ symbol: r.symbol, source: r.source, actions: r.actions }))).toEqual([
      { symbol: 'AAPL', source: 'first.csv', actions: [{ symbol: 'AAPL', exDate: day('2020-08-07'), type: 'dividend', value: 0.82 }, { symbol: 'AAPL', exDate: day('2020-08-31'), type: 'split', value: 4 }] },
      { symbol: 'KO', source: 'second.csv', actions: [{ symbol: 'KO', exDate: day('2022-01-03'), type: 'split', value: 1.5 }] },
    ]);
    expect(await api.deleteActions('KO')).toBe(true);
    expect((await api.listActions()).map((r) => r.symbol)).toEqual(['AAPL']);
    await expect(api.importActions(new File(['symbol,date,type,value\n'], 'empty.csv'), 'empty.csv')).rejects.toThrow(/empty\.csv: no actions below the header/);
  });
});
