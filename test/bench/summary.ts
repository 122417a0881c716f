import type { BenchRow } from './harness.ts';

const preferred = (row: BenchRow): boolean => row.allCores === true || row.canonical === true;

/**
 * The JSON shape issue 5 fixes: { "W1": { msPerRun, floorRatio, … }, "W2": { seconds, barsPerSecond,
 * floorRatio, … }, "W3": { … } }. The canonical row of a workload is the first row named "W1…"/"W2…"/"W3…"
 * that carries a floorRatio, unless a row of it says `allCores: true` (issue 17: W3.seconds is 1,000
 * combinations on all cores) or `canonical: true` (Node's W1: the per-thread sweep candidates, the kind of
 * run Chromium's top-level W1 counts over its pool), which then wins.
 */
export function workloadSummary(results: Record<string, Record<string, BenchRow>>): Record<string, BenchRow> {
  const out: Record<string, BenchRow> = {};
  for (const rows of Object.values(results)) {
    for (const [name, row] of Object.entries(rows)) {
      const w = /^(W[123])\b/.exec(name)?.[1];
      if (!w || !('floorRatio' in row)) continue;
      if (!out[w] || (preferred(row) && !preferred(out[w]))) out[w] = { ...row, row: name };
    }
  }
  return out;
}

/** The proxy load run (issue 13) under its own key, `proxy`: requests, errors, added p50/p99 latency. */
export function proxySummary(results: Record<string, Record<string, BenchRow>>): Record<string, BenchRow> {
  for (const rows of Object.values(results)) {
    for (const [name, row] of Object.entries(rows)) if (/^P1\b/.test(name)) return { proxy: { ...row, row: name } };
  }
  return {};
}

/**
 * Rows whose window counted its renderers' page faults get `faultMs`, their cost at `usPerFault`, and a
 * timed row (`seconds`) `secondsLessFaults`: what it took beside the first touches of fresh pages. Faults
 * taken on another thread while the timed one worked (a compiler or collector thread, another worker) are
 * counted too, so this is a lower bound of the time the run would take where fresh pages cost nothing.
 */
export function chargeFaults(rows: Record<string, BenchRow>, us: number): void {
  for (const row of Object.values(rows)) {
    if (typeof row.pageFaults !== 'number' || !(us > 0)) continue;
    const faultMs = (row.pageFaults * us) / 1000;
    row.usPerFault = +us.toFixed(2);
    row.faultMs = Math.round(faultMs);
    if (typeof row.seconds === 'number') row.secondsLessFaults = +(row.seconds - faultMs / 1000).toFixed(3);
  }
}
