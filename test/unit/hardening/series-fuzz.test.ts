/**
 * Seeded series-import fuzz with a differential oracle (issue 11 item 4, as csv-fuzz does for bars): random
 * (time, symbol, value) files of good and hostile rows, with and without a publication lag, go through
 * importSeries and a deliberately plain reference parser; kept rows per symbol and rejected counts must
 * agree, and every 10th case round-trips through the store.
 */
import { describe, expect, it } from 'vitest';
import { importSeries } from '../../../src/data/csv/series.ts';
import { createMemoryStore } from '../../../src/data/memory-store.ts';
import { TIME_MAX, TIME_MIN } from '../../../src/lib/time.ts';
import { HOSTILE_NUMBER_CELLS, HOSTILE_TIME_CELLS } from '../../helpers/hostile-cells.ts';

const CASES = 1500;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Kept = Record<string, [number, number][]>;

/** The reference: split on commas; epoch integers (s/ms/µs/ns by size) or YYYY-MM-DD in UTC; Number() values. */
function reference(text: string, lagMs: number): { kept: Kept; rejected: number } {
  const rows = new Map<string, Map<number, number>>();
  let rejected = 0;
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const f = line.split(',');
    if (f.length < 3) { rejected++; continue; }
    const [tf, sym, vf] = f as [string, string, string];
    let ms = NaN;
    if (/^\d+$/.test(tf)) {
      const t = Number(tf);
      ms = t < 1e11 ? t * 1000 : t < 1e14 ? t : t < 1e17 ? Math.floor(t / 1e3) : Math.floor(t / 1e6);
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(tf)) {
      ms = Date.parse(`${tf}T00:00:00Z`);
    }
    ms += lagMs;
    const v = NUMBER_RE.test(vf) ? Number(vf) : NaN;
    if (!(ms >= TIME_MIN && ms < TIME_MAX) || !Number.isFinite(v)) { rejected++; continue; }
    let g = rows.get(sym);
    if (!g) rows.set(sym, (g = new Map()));
    if (g.has(ms)) rejected++;
    g.set(ms, v);
  }
  const kept: Kept = {};
  for (const [sym, g] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) kept[sym] = [...g].sort((a, b) => a[0] - b[0]);
  return { kept, rejected };
}

function fuzzFile(r: () => number): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const lines = ['time,symbol,value'];
  const n = 1 + Math.floor(r() * 25);
  const base = 1_500_000_000_000 + Math.floor(r() * 1e11);
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2000, 0, 1 + Math.floor(r() * 40))).toISOString().slice(0, 10);
    const cells = [r() < 0.3 ? day : String(base + Math.floor(r() * n * 2) * 86_400_000), pick(['AAA', 'BBB', 'C']), String(Math.round((r() - 0.5) * 1e6) / 100)];
    if (r() < 0.35) {
      const k = pick([0, 2]);
      cells[k] = k === 0
        ? pick([...HOSTILE_TIME_CELLS, String(1e9 + Math.floor(r() * 1e9)), '-5', '2000-13-45', '0000-01-01'])
        : pick([...HOSTILE_NUMBER_CELLS, '-0']);
    }
    if (r() < 0.05) cells.pop();
    lines.push(cells.join(','));
  }
  return lines.join(r() < 0.5 ? '\n' : '\r\n');
}

describe('series import fuzz against a reference parser', () => {
  it(`agrees on ${CASES} seeded files (with and without a publication lag) and round-trips the store`, async () => {
    const r = rng(11);
    const store = createMemoryStore();
    const mismatches: string[] = [];
    let rows = 0, rejected = 0, roundTrips = 0;
    for (let c = 0; c < CASES; c++) {
      const text = fuzzFile(r);
      const lagMs = c % 3 === 0 ? 35 * 86_400_000 : 0;
      const want = reference(text.replace(/\r/g, ''), lagMs);
      rows += text.split('\n').length - 1;
      rejected += want.rejected;
      let got: { kept: Kept; rejected: number };
      try {
        const { series, report } = await importSeries(text, { name: 'x', lagMs, timezone: 'UTC' });
        const kept: Kept = {};
        for (const s of [...series].sort((a, b) => (a.symbol! < b.symbol! ? -1 : 1))) {
          if (s.length) kept[s.symbol!] = Array.from(s.time, (t, i) => [t, s.value[i]!]);
        }
        got = { kept, rejected: report.rowsRejected };
        if (report.rowsKept !== Object.values(kept).reduce((n, k) => n + k.length, 0)) mismatches.push(`case ${c}: rowsKept ${report.rowsKept} disagrees with the series`);
        if (c % 10 === 0 && series[0]) {
          await store.putSeries(series[0]);
          const back = (await store.getSeries('x', series[0].symbol))!;
          roundTrips++;
          if (back.length !== series[0].length || back.time.some((t, i) => t !== series[0]!.time[i]) || back.value.some((v, i) => !Object.is(v, series[0]!.value[i]))) {
            mismatches.push(`case ${c}: store round trip differs`);
          }
        }
      } catch (e) {
        got = { kept: {}, rejected: want.rejected };
        mismatches.push(`case ${c}: import threw ${(e as Error).message}`);
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`case ${c}: ${JSON.stringify(got).slice(0, 300)} vs ${JSON.stringify(want).slice(0, 300)}\n${text}`);
    }
    console.log(`series fuzz: ${CASES} cases, ${rows} rows (${rejected} rejected by the oracle), ${roundTrips} store round trips, ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
