/**
 * Random irregular series and plain, deliberately naive reference implementations for the indicator
 * property tests: windows are recomputed from scratch at every step, recursions are written as loops
 * over whole arrays. Quadratic and obvious, never used outside tests.
 */
import fc from 'fast-check';
import type { WindowSpec } from '../../src/indicators/index.ts';

export interface Series {
  t: number[];
  close: number[];
  high: number[];
  low: number[];
}

const price = fc.oneof(
  fc.double({ min: 1, max: 1000, noNaN: true }),
  fc.constantFrom(100, 100.25), // repeats give flat windows and zero changes
);

/** Strictly increasing times with random gaps (1 ms to 5 s), and bars with high ≥ close ≥ low. */
export const series: fc.Arbitrary<Series> = fc
  .array(fc.record({ gap: fc.integer({ min: 1, max: 5000 }), close: price, up: fc.double({ min: 0, max: 20, noNaN: true }), down: fc.double({ min: 0, max: 20, noNaN: true }) }), { minLength: 1, maxLength: 150 })
  .map((rows) => {
    let time = 1_700_000_000_000;
    const s: Series = { t: [], close: [], high: [], low: [] };
    for (const r of rows) {
      time += r.gap;
      s.t.push(time);
      s.close.push(r.close);
      s.high.push(r.close + r.up);
      s.low.push(Math.max(0.5, r.close - r.down));
    }
    return s;
  });

export const windowSpec: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.integer({ min: 1, max: 20 }).map((bars) => ({ bars })),
  fc.integer({ min: 1, max: 40_000 }).map((ms) => ({ ms })),
);

/** Indices of the observations in the window ending at observation i. */
export function windowIdx(t: readonly number[], i: number, w: WindowSpec): number[] {
  const out: number[] = [];
  for (let j = 0; j <= i; j++) {
    if ('bars' in w ? j > i - w.bars : t[j]! > t[i]! - w.ms) out.push(j);
  }
  return out;
}

/** The documented ready rule, stated independently of the implementation. */
export function isReady(t: readonly number[], i: number, w: WindowSpec, extraBars = 0): boolean {
  return 'bars' in w ? i + 1 >= w.bars + extraBars : t[i]! - t[0]! >= w.ms;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function popStd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

/** EMA state after each observation (`raw`), and whether it is ready there. */
export function emaRef(t: readonly number[], v: readonly number[], w: WindowSpec, seed: 'first' | 'sma'): { raw: number[]; ready: boolean[] } {
  const raw: number[] = [];
  const ready: boolean[] = [];
  let e = NaN;
  for (let i = 0; i < v.length; i++) {
    const r = isReady(t, i, w);
    if (!Number.isNaN(e)) {
      let alpha: number;
      if ('bars' in w) alpha = 2 / (w.bars + 1);
      else {
        const x = (t[i]! - t[i - 1]!) / w.ms;
        alpha = Math.min(1, (2 * x) / (1 + x));
      }
      e = e + alpha * (v[i]! - e);
    } else if (seed === 'first') e = v[i]!;
    else if (r) e = mean(windowIdx(t, i, w).map((j) => v[j]!));
    raw.push(e);
    ready.push(r);
  }
  return { raw, ready };
}

/** Wilder average of xs[k] observed at times ts[k], seeded with the mean of xs[0..k] at the first ready k. */
function wilderRef(ts: readonly number[], xs: readonly number[], readyFlags: readonly boolean[], w: WindowSpec): number[] {
  const out: number[] = [];
  let avg = NaN;
  for (let k = 0; k < xs.length; k++) {
    if (!Number.isNaN(avg)) {
      const a = 'bars' in w ? 1 / w.bars : Math.min(1, (ts[k]! - ts[k - 1]!) / w.ms);
      avg = avg + a * (xs[k]! - avg);
    } else if (readyFlags[k]) {
      avg = mean(xs.slice(0, k + 1));
    }
    out.push(avg);
  }
  return out;
}

export function rsiRef(s: Series, w: WindowSpec): number[] {
  const n = s.close.length;
  const ts = s.t.slice(1);
  const d = s.close.slice(1).map((c, k) => c - s.close[k]!);
  const flags = ts.map((_, k) => isReady(s.t, k + 1, w, 1));
  const g = wilderRef(ts, d.map((x) => Math.max(x, 0)), flags, w);
  const l = wilderRef(ts, d.map((x) => Math.max(-x, 0)), flags, w);
  return Array.from({ length: n }, (_, i) => {
    if (i === 0 || !flags[i - 1]) return NaN;
    const G = g[i - 1]!, L = l[i - 1]!;
    return G + L > 0 ? (100 * G) / (G + L) : 50;
  });
}

export function atrRef(s: Series, w: WindowSpec, firstBar: 'range' | 'skip'): number[] {
  const tr = s.close.map((_, i) =>
    i === 0 ? s.high[0]! - s.low[0]! : Math.max(s.high[i]!, s.close[i - 1]!) - Math.min(s.low[i]!, s.close[i - 1]!));
  const first = firstBar === 'skip' ? 1 : 0;
  const extra = firstBar === 'skip' ? 1 : 0;
  const flags = s.t.map((_, i) => isReady(s.t, i, w, extra));
  const avg = wilderRef(s.t.slice(first), tr.slice(first), flags.slice(first), w);
  return s.t.map((_, i) => (flags[i] && i >= first ? avg[i - first]! : NaN));
}

export interface MacdRef { line: number[]; signal: number[] }

export function macdRef(s: Series, fast: WindowSpec, slow: WindowSpec, signal: WindowSpec, seed: 'first' | 'sma'): MacdRef {
  const f = emaRef(s.t, s.close, fast, seed);
  const sl = emaRef(s.t, s.close, slow, seed);
  const idx = s.t.map((_, i) => i).filter((i) => f.ready[i] && sl.ready[i]);
  const lineAll = idx.map((i) => f.raw[i]! - sl.raw[i]!);
  const sig = emaRef(idx.map((i) => s.t[i]!), lineAll, signal, seed);
  const line = s.t.map(() => NaN);
  const sigOut = s.t.map(() => NaN);
  idx.forEach((i, k) => {
    if (!sig.ready[k]) return;
    line[i] = lineAll[k]!;
    sigOut[i] = sig.raw[k]!;
  });
  return { line, signal: sigOut };
}

/** NaN where the reference is NaN, else within 1e-9 relative to max(scale, |expected|). */
export function near(actual: number, expected: number, scale: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, scale, Math.abs(expected));
}
