import { rangeOf, type MarketData } from '../engine/index.ts';
import { lowerBound, upperBound } from '../lib/search.ts';
import type { BarColumns, StepSeries, StrategyDocument } from '../schema/index.ts';
import { compile } from '../strategy/index.ts';
import { SpaceError } from './space.ts';

/** In-sample and out-of-sample lengths, in timeline bars or calendar days. */
export interface WindowSizes {
  inSample: number;
  outOfSample: number;
  unit: 'bars' | 'days';
  /** Anchored: every in-sample window starts at the first bar and grows. Rolling (default): it slides. */
  anchored?: boolean;
}

/** A span of the timeline: first and last bar time (inclusive) and the number of timeline bars. */
export interface Span {
  from: number;
  to: number;
  bars: number;
}

export interface WindowPlan {
  index: number;
  inSample: Span;
  outOfSample: Span;
}

const DAY_MS = 86_400_000;

/** "756/126" (bars) or "730d/180d" (days); both sides use the same unit. */
export function parseWindowSizes(text: string): WindowSizes {
  const m = /^\s*(\d+)(d?)\s*\/\s*(\d+)(d?)\s*$/.exec(text);
  if (!m || m[2] !== m[4]) throw new SpaceError(`walk-forward sizes are IN/OUT in bars ("756/126") or days ("730d/180d"), got "${text}"`);
  const sizes: WindowSizes = { inSample: Number(m[1]), outOfSample: Number(m[3]), unit: m[2] === 'd' ? 'days' : 'bars' };
  if (!(sizes.inSample >= 1 && sizes.outOfSample >= 1)) throw new SpaceError('walk-forward sizes must be ≥ 1');
  return sizes;
}

/** The sorted union of the bar times of every asset the document reads, within its date range. */
export function timelineOf(doc: StrategyDocument, data: MarketData): Float64Array {
  const assets = compile(doc).assets;
  const { from, to } = rangeOf(doc);
  const times = new Set<number>();
  for (const b of data.bars) {
    if (!assets.includes(b.symbol)) continue;
    for (let i = lowerBound(b.time, from, 0, b.length); i < b.length && b.time[i]! <= to; i++) times.add(b.time[i]!);
  }
  return Float64Array.from(times).sort();
}

/**
 * Consecutive windows: out-of-sample spans tile the timeline after the first in-sample span, each starting
 * where the previous ended; the last may be shorter. Day-sized windows cut the calendar at
 * first time + k × days, so gaps in the data never stretch a window.
 */
export function planWindows(timeline: Float64Array, sizes: WindowSizes): WindowPlan[] {
  const n = timeline.length;
  const out: WindowPlan[] = [];
  if (n === 0) return out;
  const t0 = timeline[0]!;
  const span = (a: number, b: number): Span => ({ from: timeline[a]!, to: timeline[b - 1]!, bars: b - a });
  for (let k = 0; ; k++) {
    let isStart: number, oosStart: number, oosEnd: number;
    if (sizes.unit === 'bars') {
      oosStart = sizes.inSample + k * sizes.outOfSample;
      isStart = sizes.anchored ? 0 : oosStart - sizes.inSample;
      oosEnd = Math.min(n, oosStart + sizes.outOfSample);
    } else {
      const cut = t0 + (sizes.inSample + k * sizes.outOfSample) * DAY_MS;
      oosStart = lowerBound(timeline, cut);
      isStart = sizes.anchored ? 0 : lowerBound(timeline, cut - sizes.inSample * DAY_MS);
      oosEnd = lowerBound(timeline, cut + sizes.outOfSample * DAY_MS);
    }
    if (oosStart >= n) return out;
    if (oosEnd > oosStart && oosStart > isStart) out.push({ index: out.length, inSample: span(isStart, oosStart), outOfSample: span(oosStart, oosEnd) });
  }
}

/** Zero-copy views of one asset's bars with time in [from, to]. */
export function sliceBars(b: BarColumns, from: number, to: number): BarColumns {
  const i = lowerBound(b.time, from, 0, b.length);
  const j = upperBound(b.time, to, i, b.length);
  return {
    symbol: b.symbol, timeframe: b.timeframe, length: j - i,
    time: b.time.subarray(i, j), open: b.open.subarray(i, j), high: b.high.subarray(i, j),
    low: b.low.subarray(i, j), close: b.close.subarray(i, j), volume: b.volume.subarray(i, j),
  };
}

function sliceSeries(s: StepSeries, to: number): StepSeries {
  const j = upperBound(s.time, to, 0, s.length);
  return { name: s.name, symbol: s.symbol, length: j, time: s.time.subarray(0, j), value: s.value.subarray(0, j) };
}

/**
 * The market as it was known over [from, to]: bars inside the span, and series values published by `to`
 * (earlier publications stay: a step series' value persists until replaced). Nothing after `to` remains,
 * which is what keeps out-of-sample data out of an in-sample choice. Finer bars (the bar magnifier's) stay
 * whole: the magnifier reads only those inside a bar being filled, and no bar after `to` remains. Corporate
 * actions stay whole too: one after `to` has no bar on or after its ex-date, so it adjusts nothing (adjusted
 * prices are as known at the window's end) and never happens (raw).
 */
export function sliceData(data: MarketData, from: number, to: number): MarketData {
  return { bars: data.bars.map((b) => sliceBars(b, from, to)), series: data.series?.map((s) => sliceSeries(s, to)), ...(data.finer ? { finer: data.finer } : {}), ...(data.actions ? { actions: data.actions } : {}) };
}
