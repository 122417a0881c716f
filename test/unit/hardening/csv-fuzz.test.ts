/**
 * Seeded CSV fuzz with a differential oracle (issue #10): random files of good and hostile rows go through
 * importBars and a deliberately simple reference parser; kept bars and rejected counts must agree, and every
 * 10th case also round-trips through the store.
 */
import { describe, expect, it } from 'vitest';
import { importBars } from '../../../src/data/csv/import.ts';
import { createMemoryStore } from '../../../src/data/memory-store.ts';
import { TIME_MAX, TIME_MIN } from '../../../src/lib/time.ts';
import { HOSTILE_NUMBER_CELLS, HOSTILE_TIME_CELLS } from '../../helpers/hostile-cells.ts';

const CASES = 2000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The reference: split on commas, Number() each field, the same validation rules written plainly. */
function reference(text: string): { time: number[]; close: number[]; rejected: number } {
  const rows = new Map<number, number>();
  let rejected = 0;
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const f = line.split(',');
    const bad = () => { rejected++; };
    if (f.length < 6) { bad(); continue; }
    const t = /^\d+$/.test(f[0]!) ? Number(f[0]) : NaN;
    const ms = t < 1e11 ? t * 1000 : t < 1e14 ? t : t < 1e17 ? Math.floor(t / 1e3) : Math.floor(t / 1e6);
    const v = f.slice(1, 6).map((x) => (NUMBER_RE.test(x) ? Number(x) : NaN));
    if (!(ms >= TIME_MIN && ms < TIME_MAX) || v.some((x) => !Number.isFinite(x)) || v.some((x) => x < 0) || v[1]! < v[2]!) { bad(); continue; }
    if (rows.has(ms)) rejected++;
    rows.delete(ms);
    rows.set(ms, v[3]!);
  }
  const time = [...rows.keys()].sort((a, b) => a - b);
  return { time, close: time.map((t) => rows.get(t)!), rejected };
}

function fuzzFile(r: () => number): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const lines = ['time,open,high,low,close,volume'];
  const n = 1 + Math.floor(r() * 25);
  const base = 1_500_000_000_000 + Math.floor(r() * 1e11);
  for (let i = 0; i < n; i++) {
    const p = Math.round(r() * 100_000) / 100;
    const cells = [String(base + Math.floor(r() * n * 2) * 60_000), String(p), String(p + 1), String(Math.max(0, p - 1)), String(p), String(Math.floor(r() * 1e6))];
    if (r() < 0.35) {
      const k = Math.floor(r() * 6);
      cells[k] = k === 0
        ? pick([...HOSTILE_TIME_CELLS, String(1e9 + Math.floor(r() * 1e9)), '-5'])
        : pick([...HOSTILE_NUMBER_CELLS, '1,5']);
    }
    if (r() < 0.05) cells.pop();
    lines.push(cells.join(','));
  }
  return lines.join('\n');
}

describe('CSV fuzz against a reference parser', () => {
  it(`agrees on ${CASES} seeded files and round-trips the store`, async () => {
    const r = rng(10);
    const store = createMemoryStore();
    const mismatches: string[] = [];
    let rows = 0, rejected = 0, roundTrips = 0;
    for (let c = 0; c < CASES; c++) {
      const text = fuzzFile(r);
      const want = reference(text);
      rows += text.split('\n').length - 1;
      rejected += want.rejected;
      let got: { time: number[]; close: number[]; rejected: number };
      try {
        const { bars, report } = await importBars(text, { symbol: 'FZ', timeframe: '1m' });
        got = { time: [...bars.time], close: [...bars.close], rejected: report.rowsRejected };
        if (c % 10 === 0) {
          await store.put(bars);
          const back = (await store.get('FZ', '1m'))!;
          roundTrips++;
          if (back.length !== bars.length || back.time.some((t, i) => t !== bars.time[i]) || back.close.some((x, i) => x !== bars.close[i])) mismatches.push(`case ${c}: store round trip differs`);
        }
      } catch (e) {
        got = { time: [], close: [], rejected: want.rejected };
        if (want.time.length) mismatches.push(`case ${c}: import threw ${(e as Error).message}`);
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`case ${c}: ${JSON.stringify(got).slice(0, 200)} vs ${JSON.stringify(want).slice(0, 200)}\n${text}`);
    }
    console.log(`csv fuzz: ${CASES} cases, ${rows} rows (${rejected} rejected by the oracle), ${roundTrips} store round trips, ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
