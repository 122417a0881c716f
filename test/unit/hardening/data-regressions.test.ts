/**
 * Regression tests for the data-layer failures of issue #10, one per failure, named after it.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocBars } from '../../../src/data/columns.ts';
import { importBars } from '../../../src/data/csv/import.ts';
import { DatasetStore } from '../../../src/data/dataset-store.ts';
import type { EncodedFile } from '../../../src/data/format.ts';
import { importIntoStore } from '../../../src/data/import-to-store.ts';
import { MemoryCatalog, MemoryFiles } from '../../../src/data/memory-store.ts';
import { createFsStore } from '../../../src/data/node/fs-store.ts';
import { loadBars } from '../../../src/cli/inputs.ts';
import { validateFile } from '../../../src/cli/validate.ts';
import { TIME_MAX } from '../../../src/lib/time.ts';
import { StorageFullError } from '../../../src/data/store.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'harden-'));
  dirs.push(d);
  return d;
}

function csv(rows: number, price: number, t0 = Date.UTC(2020, 0, 2, 14, 30)): string {
  const out = ['time,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) out.push(`${t0 + i * 60_000},${price},${price + 1},${price - 1},${price},${i}`);
  return out.join('\n');
}

/** Past the quota, Chromium's sync handle "wrote" a piece and returned garbage; this backend silently keeps a prefix. */
class ShortWriteFiles extends MemoryFiles {
  keep = Infinity;
  override async write(name: string, file: EncodedFile, signal?: AbortSignal): Promise<void> {
    await super.write(name, file, signal);
    const b = this.bytes.get(name)!;
    if (this.keep < b.length) this.bytes.set(name, b.slice(0, this.keep));
  }
}

describe('issue #10 data regressions', () => {
  it('quota exhaustion loses data: a silently short write is caught before the swap and the old dataset stays', async () => {
    const files = new ShortWriteFiles();
    const store = new DatasetStore(files, new MemoryCatalog());
    await importIntoStore(store, csv(1000, 50), { symbol: 'Q' });
    const before = await store.list();
    files.keep = 21_000;
    await expect(importIntoStore(store, csv(5000, 70), { symbol: 'Q' })).rejects.toThrow(/21000 of \d+ bytes/);
    expect(await store.list()).toEqual(before);
    const bars = (await store.get('Q', '1m'))!;
    expect(bars.length).toBe(1000);
    expect(bars.close[0]).toBe(50);
    expect([...files.bytes.keys()]).toEqual([before[0]!.file]);
  });

  it('one far-future time blanks the Data page: 9000000000000000000000 is rejected at import with its line', async () => {
    const text = `${csv(3, 10)}\n9000000000000000000000,1,2,0.5,1,10\n${Date.UTC(2020, 0, 3)},1,2,0.5,1,10`;
    const { bars, report } = await importBars(text, { symbol: 'F' });
    expect(bars.length).toBe(4);
    expect(report.rejected).toEqual([{ line: 5, reason: 'time-out-of-range', field: 'time', text: '9000000000000000000000,1,2,0.5,1,10' }]);
    for (const t of bars.time) expect(t).toBeLessThan(TIME_MAX);
  });

  it('1e999 and 1E400 are stored as Infinity: non-finite values are rejected rows named by line and field', async () => {
    const t0 = Date.UTC(2020, 0, 2);
    const text = ['time,open,high,low,close,volume', `${t0},1,2,0.5,1,10`, `${t0 + 86_400_000},1,1e999,0.5,1,10`,
      `${t0 + 2 * 86_400_000},1,2,0.5,1,1E400`, `${'9'.repeat(400)},1,2,0.5,1,10`, `${t0 + 3 * 86_400_000},1,2,0.5,1,10`].join('\n');
    const { bars, report } = await importBars(text, { symbol: 'I' });
    expect(bars.length).toBe(2);
    expect(report.rejected.map((r) => [r.line, r.reason, r.field])).toEqual([
      [3, 'non-finite', 'high'], [4, 'non-finite', 'volume'], [5, 'time-out-of-range', 'time'],
    ]);
    const dir = await tmp();
    const file = join(dir, 'I.csv');
    await writeFile(file, text);
    const warned: string[] = [];
    await expect(loadBars(file, { strict: true }, (l) => warned.push(l))).rejects.toThrow(/3 row\(s\) rejected and --strict/);
    expect(warned.map((l) => l.slice(file.length))).toEqual([
      ':3: rejected (non-finite in high): ' + text.split('\n')[2],
      ':4: rejected (non-finite in volume): ' + text.split('\n')[3],
      ':5: rejected (time-out-of-range in time): ' + text.split('\n')[4]!.slice(0, 200),
    ]);
  });

  it('a malformed first NinjaTrader line makes the whole file generic: the format is detected from more than one line', async () => {
    const lines = ['2011031 090100;133.9;134.01;133.9;133.98;3778'];
    for (let m = 2; m < 300; m++) lines.push(`20110301 ${String(9 + Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00;134;134.5;133.5;134;${m}`);
    const { bars, report } = await importBars(lines.join('\r\n'), { symbol: 'SPY' });
    expect(report.format).toBe('ninjatrader');
    expect(report.timezone).toBe('UTC');
    expect(report.rejected).toMatchObject([{ line: 1, reason: 'bad-time' }]);
    // 09:02 is the end of the bar that started 09:01 UTC: no New York shift.
    expect(new Date(bars.time[0]!).toISOString()).toBe('2011-03-01T09:01:00.000Z');
  });

  it('a UTF-8 BOM on a headerless file rejects line 1', async () => {
    const t0 = Date.UTC(2020, 0, 2);
    const { bars, report } = await importBars(`\uFEFF${t0},1,2,0.5,1,10\n${t0 + 86_400_000},1,2,0.5,1,10\n`, { symbol: 'B' });
    expect(report.rowsRejected).toBe(0);
    expect(bars.length).toBe(2);
  });

  it('a JSON strategy file with a BOM is refused', async () => {
    const dir = await tmp();
    const file = join(dir, 's.json');
    const doc = { version: 1, name: 'bom', settings: { universe: ['SPY'] }, strategies: [{ id: 'a', name: 'a', action: { type: 'closeAll' } }] };
    await writeFile(file, `\uFEFF${JSON.stringify(doc)}`);
    const r = validateFile(file);
    expect(r.lines.join('\n')).not.toMatch(/not valid JSON/);
  });

  it('a kill during a write leaves a .col.tmp that garbage collection never removes', async () => {
    const dir = await tmp();
    const store = createFsStore(dir);
    const bars = allocBars('K', '1d', 2);
    bars.time.set([Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3)]);
    bars.close.set([1, 2]);
    const info = await store.put(bars);
    await writeFile(join(dir, 'bars~K~1d~0123456789ab.col.tmp'), new Uint8Array(4096));
    expect(await store.collectGarbage({ olderThanMs: 60_000 })).toEqual([]);
    expect(await store.collectGarbage()).toEqual(['bars~K~1d~0123456789ab.col.tmp']);
    expect((await readdir(dir)).sort()).toEqual([info.file, 'catalog.json'].sort());
  });

  it('a quota refusal said "about 0.0 MB more room is needed" when the browser\'s estimate ignored the quota', () => {
    // Chromium past a CDP-lowered quota: the write fails after 168 bytes while estimate() still reports 10 GB free.
    const odd = new StorageFullError('f.col', 9_600_168, 168, 10e9);
    expect(odd.message).toMatch(/reports 10000\.0 MB free but refused the write, so up to 9\.6 MB more room may be needed/);
    expect(odd.message).not.toMatch(/0\.0 MB more/);
    expect(odd.missing).toBeUndefined();
    const fair = new StorageFullError('f.col', 9_600_168, 500_000, 1_000_000);
    expect(fair.message).toMatch(/the write stopped after 0\.5 MB, about 8\.1 MB more room is needed; the previous data are kept/);
    expect(fair.missing).toBe(8_100_168);
    expect(new StorageFullError('f.col', 100, 0, undefined).message).not.toMatch(/room is needed/);
  });
});
