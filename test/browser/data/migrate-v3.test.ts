import { proxy, wrap, type Remote } from 'comlink';
import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { barsEqual } from '../../../src/data/columns.ts';
import type { DataService } from '../../../src/data/browser/service.ts';
import { DATA_DB_VERSION } from '../../../src/data/browser/idb-catalog.ts';
import type { MigrationProgress } from '../../../src/data/dataset-store.ts';
import { FORMAT_V1, FORMAT_VERSION } from '../../../src/data/format.ts';
import type { DatasetInfo } from '../../../src/data/store.ts';
import fixture from '../../golden/fixtures/store-v1.json';
import { v1FixtureBars, v1FixtureSeries } from '../../helpers/store-v1-fixture.ts';

/**
 * IndexedDB version 2 → 3 and the file format 1 → 2 in real Chromium (OPFS + IndexedDB, the data worker):
 * storage as the version-2 build left it (its upgrade code, its files: the checked-in fixture), opened by
 * this build; and the migration killed (worker terminated) between its steps.
 */
const workers: Worker[] = [];
const places: { dir: string; dbName: string }[] = [];

afterEach(async () => {
  for (const w of workers.splice(0)) w.terminate();
  const root = await navigator.storage.getDirectory();
  for (const p of places.splice(0)) {
    await root.removeEntry(p.dir, { recursive: true }).catch(() => undefined);
    await deleteDB(p.dbName);
  }
});

const ACTIONS_ROW = {
  symbol: 'MIN', source: 'actions.csv', importedAt: 1_700_000_000_000,
  actions: [{ symbol: 'MIN', exDate: Date.UTC(2020, 0, 6), type: 'split', value: 2 }],
};

/** What the version-2 build stored: its database (its upgrade steps, verbatim) and its raw float64 files. */
async function v2Storage() {
  const id = Math.random().toString(36).slice(2);
  const place = { dir: `test-migrate-${id}`, dbName: `test-migrate-db-${id}` };
  places.push(place);
  let dir = await navigator.storage.getDirectory();
  dir = await dir.getDirectoryHandle(place.dir, { create: true });
  for (const [name, b64] of Object.entries(fixture.files)) {
    const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await w.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    await w.close();
  }
  const db = await openDB(place.dbName, 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) d.createObjectStore('catalog', { keyPath: 'id' });
      if (oldVersion < 2) d.createObjectStore('actions', { keyPath: 'symbol' });
    },
  });
  for (const row of fixture.catalog) await db.put('catalog', row);
  await db.put('actions', ACTIONS_ROW);
  db.close();
  return { ...place, dirHandle: dir };
}

async function worker(place: { dir: string; dbName: string }, migrate: boolean) {
  const w = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  workers.push(w);
  const api = wrap<DataService>(w);
  await api.open({ ...place, migrate });
  return { w, api };
}

async function expectIdentical(api: Remote<DataService>): Promise<void> {
  for (const b of v1FixtureBars()) expect(barsEqual((await api.get(b.symbol, b.timeframe))!, b), b.symbol).toBe(true);
  for (const s of v1FixtureSeries()) {
    const got = (await api.getSeries(s.name, s.symbol))!;
    expect(got.length).toBe(s.length);
    expect(Array.from(s.value).every((v, i) => Object.is(v, got.value[i]) && Object.is(s.time[i], got.time[i])), s.name).toBe(true);
  }
  expect(await api.listActions()).toEqual([ACTIONS_ROW]);
}

async function fileNames(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const out: string[] = [];
  for await (const k of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) out.push(k);
  return out.sort();
}

const formatsOf = (rows: DatasetInfo[]) => rows.map((r) => r.format ?? 0).sort();

describe('stored data from the version-2 build (IndexedDB 2, format-1 files)', () => {
  it('open with version 3: rows stamped format 1 and read as they are; the background migration rewrites them; every value, series and action identical', async () => {
    const place = await v2Storage();
    const before = await worker(place, false);
    await expectIdentical(before.api);
    expect(formatsOf(await before.api.list())).toEqual([FORMAT_V1, FORMAT_V1, FORMAT_V1, FORMAT_V1, FORMAT_V1]);
    await before.api.close();
    before.w.terminate();

    const { api } = await worker(place, true);
    const report = (await api.migration())!;
    expect(report.migrated).toHaveLength(5);
    expect(report.failed).toEqual([]);
    const rows = await api.list();
    expect(formatsOf(rows)).toEqual([FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION]);
    for (const r of rows) expect(r).toMatchObject({ source: 'fixture v1', importedAt: 1_700_000_000_000 });
    await expectIdentical(api);
    // Only the fields a plan reads: the others are NaN.
    const part = (await api.get('MIN', '1m', undefined, ['close']))!;
    expect(Array.from(part.close)).toEqual(Array.from(v1FixtureBars()[0]!.close));
    expect([part.open, part.high, part.volume].every((c) => c.every(Number.isNaN))).toBe(true);
    // Old files gone, nothing stray.
    expect(await fileNames(place.dirHandle)).toEqual(rows.map((r) => r.file).sort());
    await api.close();
    const db = await openDB(place.dbName);
    expect(db.version).toBe(DATA_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['actions', 'catalog']);
    db.close();
  });

  it('a migration killed (worker terminated) after a file is written, and again after a row swapped, loses nothing; the next open finishes it', async () => {
    const place = await v2Storage();
    // Kill 1: the second dataset's new file is written and verified, its row not yet swapped.
    // Kill 2: right after the next dataset's row swapped to its new file.
    for (const [phase, nth] of [['written', 2], ['migrated', 1]] as const) {
      const { w, api } = await worker(place, false);
      let n = 0;
      const killed = new Promise<void>((resolve) => {
        void api.migrate(proxy((p: MigrationProgress) => {
          if (p.phase !== phase || ++n < nth) return undefined;
          w.terminate();
          resolve();
          return new Promise<void>(() => undefined);
        })).catch(() => undefined);
      });
      await killed;
      const look = await worker(place, false);
      await expectIdentical(look.api);
      const fmts = formatsOf(await look.api.list());
      expect(fmts).toContain(FORMAT_V1);
      expect(fmts).toContain(FORMAT_VERSION);
      await look.api.close();
      look.w.terminate();
    }
    const { api } = await worker(place, true);
    const report = (await api.migration())!;
    expect(report.failed).toEqual([]);
    const rows = await api.list();
    expect(formatsOf(rows)).toEqual([FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION]);
    await expectIdentical(api);
    // The file written before the first kill was never swapped in: the start-up collection removed it.
    expect(await fileNames(place.dirHandle)).toEqual(rows.map((r) => r.file).sort());
  });
});
