import { describe, expect, it } from 'vitest';
import { allocBars, barsEqual } from '../../../src/data/columns.ts';
import { DatasetStore, type MigrationProgress } from '../../../src/data/dataset-store.ts';
import { FORMAT_V1, FORMAT_VERSION } from '../../../src/data/format.ts';
import { MemoryCatalog, MemoryFiles } from '../../../src/data/memory-store.ts';
import { readHeader } from '../../../src/data/reader.ts';
import type { DatasetInfo } from '../../../src/data/store.ts';
import type { BarColumns, StepSeries } from '../../../src/schema/bars.ts';
import fixture from '../../golden/fixtures/store-v1.json';
import { v1FixtureBars, v1FixtureSeries } from '../../helpers/store-v1-fixture.ts';

/** A store holding what the version-1 store wrote (the checked-in fixture): raw float64 files, rows without `format`. */
function v1Store() {
  const files = new MemoryFiles(), catalog = new MemoryCatalog();
  for (const [name, b64] of Object.entries(fixture.files)) files.bytes.set(name, Uint8Array.from(Buffer.from(b64, 'base64')));
  for (const row of fixture.catalog) catalog.rows.set(row.id, { ...(row as DatasetInfo) });
  return { files, catalog, store: () => new DatasetStore(files, catalog) };
}

const sameSeries = (a: StepSeries | null, b: StepSeries) => !!a && a.length === b.length
  && Array.from(b.time).every((v, i) => Object.is(v, a.time[i])) && Array.from(b.value).every((v, i) => Object.is(v, a.value[i]));

async function expectAllIdentical(store: DatasetStore): Promise<void> {
  for (const b of v1FixtureBars()) expect(barsEqual((await store.get(b.symbol, b.timeframe)) as BarColumns, b)).toBe(true);
  for (const s of v1FixtureSeries()) expect(sameSeries(await store.getSeries(s.name, s.symbol), s)).toBe(true);
}

const formats = async (files: MemoryFiles, catalog: MemoryCatalog) =>
  Promise.all([...catalog.rows.values()].map(async (r) => (await readHeader(await files.open(r.file))).version));

describe('migrating version-1 files to the compact format', () => {
  it('rewrites every dataset, keeps its metadata, removes the old files, and everything reads back bit for bit', async () => {
    const { files, catalog, store } = v1Store();
    const st = store();
    await expectAllIdentical(st); // version-1 files read as they are, before any migration
    const before = new Map([...catalog.rows].map(([id, r]) => [id, r]));
    const seen: MigrationProgress[] = [];
    const report = await st.migrate((p) => { seen.push(p); });
    expect(report.migrated).toHaveLength(5);
    expect(report.failed).toEqual([]);
    expect(seen.filter((p) => p.phase === 'migrated').map((p) => p.done)).toEqual([1, 2, 3, 4, 5]);
    expect(await formats(files, catalog)).toEqual([FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION]);
    for (const [id, r] of catalog.rows) {
      const old = before.get(id)!;
      expect(r).toMatchObject({ format: FORMAT_VERSION, source: old.source, importedAt: old.importedAt, rows: old.rows, adjusted: old.adjusted });
      expect(Object.is(r.first, old.first) && Object.is(r.last, old.last)).toBe(true);
      expect(r.file).not.toBe(old.file);
    }
    expect([...files.bytes.keys()].sort()).toEqual([...catalog.rows.values()].map((r) => r.file).sort());
    const v1Bytes = Object.values(fixture.files).reduce((n, b) => n + Buffer.from(b, 'base64').length, 0);
    // The fixture is mostly values that fall back to float64 on purpose; still smaller.
    expect([...files.bytes.values()].reduce((n, b) => n + b.length, 0)).toBeLessThan(v1Bytes);
    await expectAllIdentical(st);
    expect(await st.migrate()).toEqual({ migrated: [], skipped: [], failed: [] });
  });

  it('a migration killed after a file is written but before its row swaps leaves every row readable; the next one finishes and the orphan is collected', async () => {
    const { files, catalog, store } = v1Store();
    // The "kill": the second dataset's new file is written and verified, then the process never continues.
    let writes = 0;
    void store().migrate((p) => (p.phase === 'written' && ++writes === 2 ? new Promise<void>(() => undefined) : undefined));
    await new Promise((r) => setTimeout(r, 50));
    expect([...catalog.rows.values()].filter((r) => r.format === FORMAT_VERSION)).toHaveLength(1);
    expect(files.bytes.size).toBe(6); // 5 live files + the unswapped new one
    const fresh = store();
    await expectAllIdentical(fresh);
    expect(new Set(await formats(files, catalog))).toEqual(new Set([FORMAT_V1, FORMAT_VERSION]));
    const report = await fresh.migrate();
    expect(report.migrated).toHaveLength(4);
    expect(await fresh.collectGarbage()).toHaveLength(1);
    expect(files.bytes.size).toBe(5);
    await expectAllIdentical(fresh);
  });

  it('a dataset re-imported while it is being rewritten keeps the new import (the migration discards its copy)', async () => {
    const { files, catalog, store } = v1Store();
    const st = store();
    const fresh = allocBars('MIN', '1m', 2);
    fresh.time.set([1, 2]);
    fresh.close.set([5, 6]);
    const report = await st.migrate(async (p) => {
      if (p.phase === 'written' && p.id === 'bars:MIN:1m') await st.put(fresh, { source: 'new import' });
    });
    expect(report.skipped).toEqual(['bars:MIN:1m']);
    expect(barsEqual((await st.get('MIN', '1m'))!, fresh)).toBe(true);
    expect(catalog.rows.get('bars:MIN:1m')!.source).toBe('new import');
    expect([...files.bytes.keys()].sort()).toEqual([...catalog.rows.values()].map((r) => r.file).sort());
  });

  it('a dataset whose old file is unreadable is left as it was and reported; the others migrate', async () => {
    const { files, catalog, store } = v1Store();
    const odd = catalog.rows.get('bars:ODD:1d')!;
    files.bytes.set(odd.file, files.bytes.get(odd.file)!.subarray(0, 100));
    const report = await store().migrate();
    expect(report.failed.map((f) => f.id)).toEqual(['bars:ODD:1d']);
    expect(report.failed[0]!.reason).toMatch(/truncated|shorter/);
    expect(report.migrated).toHaveLength(4);
    expect(catalog.rows.get('bars:ODD:1d')).toEqual(odd);
    expect(files.bytes.has(odd.file)).toBe(true);
  });
});
