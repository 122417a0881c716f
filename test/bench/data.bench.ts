/**
 * Data layer in Node: streaming CSV import (rows/s, from a file on disk through loadCsvFile, and from memory)
 * on ~1M synthetic minute rows in the two commonest layouts (epoch ms; naive New York date-times), and the
 * time to generate the W2 synthetic set (7 symbols × 10 years of minutes). Goal: import ≥ 1 M rows/s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBars } from '../../src/data/csv/import.ts';
import { loadCsvFile } from '../../src/data/node/load.ts';
import { generateMinuteBars } from '../../src/data/synthetic.ts';
import { Zone } from '../../src/lib/zone.ts';
import type { BarColumns } from '../../src/schema/bars.ts';
import type { BenchRow, BenchSuite } from './harness.ts';

function toCsv(b: BarColumns, naive: boolean): Uint8Array {
  const ny = new Zone('America/New_York');
  const out: string[] = [naive ? ',Open,High,Low,Close,Volume' : 'time,open,high,low,close,volume'];
  for (let i = 0; i < b.length; i++) {
    const t = naive ? new Date(ny.toLocal(b.time[i]!)).toISOString().slice(0, 19).replace('T', ' ') : b.time[i];
    out.push(`${t},${b.open[i]},${b.high[i]},${b.low[i]},${b.close[i]},${b.volume[i]}`);
  }
  return new TextEncoder().encode(out.join('\n') + '\n');
}

async function best(runs: number, fn: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  let ms = Infinity, rows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = await fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, rows };
}

const suite: BenchSuite = {
  name: 'data',
  async run({ quick }) {
    const rows: Record<string, BenchRow> = {};
    const years = quick ? 1 : 10;
    const t0 = performance.now();
    const all = generateMinuteBars({ symbols: 7, years, seed: 1 });
    const genMs = performance.now() - t0;
    const bars = all.reduce((n, b) => n + b.length, 0);
    rows[`synthetic 7 × ${years}y minutes`] = { ms: Math.round(genMs), bars, barsPerSecond: Math.round(bars / genMs * 1000) };

    const one = all[0]!;
    const dir = await mkdtemp(join(tmpdir(), 'data-bench-'));
    try {
      for (const naive of [false, true]) {
        const label = naive ? 'naive NY date-times' : 'epoch ms';
        const bytes = toCsv(one, naive);
        const path = join(dir, `SYN.${naive ? 'naive' : 'ms'}.csv`);
        await writeFile(path, bytes);
        const mem = await best(quick ? 2 : 4, async () => (await importBars(bytes, { symbol: 'SYN', timeframe: '1m' })).bars.length);
        rows[`CSV import from memory, ${label}`] = { rows: mem.rows, MB: +(bytes.length / 1e6).toFixed(1), ms: Math.round(mem.ms), rowsPerSecond: Math.round(mem.rows / mem.ms * 1000) };
        const file = await best(quick ? 1 : 3, async () => (await loadCsvFile(path, { timeframe: '1m' })).bars.length);
        rows[`CSV import from file, ${label}`] = { rows: file.rows, MB: +(bytes.length / 1e6).toFixed(1), ms: Math.round(file.ms), rowsPerSecond: Math.round(file.rows / file.ms * 1000) };
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

export default suite;
