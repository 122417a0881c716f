import type { BarColumns, Timeline } from '../schema/bars.ts';
import { defaultAllocator, type BufferAllocator } from './columns.ts';
import type { TimeRange } from './reader.ts';
import type { BarStore } from './store.ts';
import { mergeTimeline } from './timeline.ts';

export interface LoadOptions {
  range?: TimeRange;
  /** Default: SharedArrayBuffer when the page is cross-origin isolated (always in Node), else ArrayBuffer. */
  alloc?: BufferAllocator;
}

/** Reads one dataset straight into (shared) column memory that engine workers can read without copying. */
export async function loadBars(store: BarStore, symbol: string, timeframe: string, opts: LoadOptions = {}): Promise<BarColumns> {
  const bars = await store.get(symbol, timeframe, { range: opts.range, alloc: opts.alloc ?? defaultAllocator() });
  if (!bars) throw new Error(`no ${timeframe} bars stored for ${symbol}`);
  return bars;
}

/** Loads several symbols and their merged timeline. */
export async function loadUniverse(store: BarStore, symbols: readonly string[], timeframe: string, opts: LoadOptions = {}): Promise<{ bars: BarColumns[]; timeline: Timeline }> {
  const bars: BarColumns[] = [];
  for (const s of symbols) bars.push(await loadBars(store, s, timeframe, opts));
  return { bars, timeline: mergeTimeline(bars) };
}
