import type { BarColumns } from '../schema/bars.ts';
import { takeTouched } from './touched.ts';

/** The six stored columns of a bar set, in on-disk order. */
export const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
export type BarColumnName = (typeof BAR_COLUMNS)[number];

/** Makes the backing memory of loaded columns: shared when workers will read them, plain otherwise. */
export type BufferAllocator = (byteLength: number) => ArrayBufferLike;

export const plainAllocator: BufferAllocator = (n) => new ArrayBuffer(n);
/** Shared memory; a buffer the data worker touched while idle when one of exactly `n` bytes is reserved (touched.ts). */
export const sharedAllocator: BufferAllocator = (n) => takeTouched(n) ?? new SharedArrayBuffer(n);

/**
 * SharedArrayBuffer is only usable across workers when the page is cross-origin isolated; Node always
 * has it (no `crossOriginIsolated` global there).
 */
export function canShare(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer !== 'undefined' && g.crossOriginIsolated !== false;
}

export function defaultAllocator(): BufferAllocator {
  return canShare() ? sharedAllocator : plainAllocator;
}

/**
 * One buffer holds all six columns back to back, so a bar set moves between workers as a single
 * (shared or transferable) buffer.
 */
export function allocBars(symbol: string, timeframe: string, length: number, alloc: BufferAllocator = plainAllocator): BarColumns {
  const buf = alloc(length * 8 * BAR_COLUMNS.length);
  const col = (i: number) => new Float64Array(buf, i * length * 8, length);
  return { symbol, timeframe, length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

export function barColumn(bars: BarColumns, name: BarColumnName): Float64Array {
  return bars[name];
}

/** Rows [from, to) as views (no copy). */
export function sliceBars(bars: BarColumns, from: number, to: number): BarColumns {
  const f = Math.max(0, Math.min(from, bars.length));
  const t = Math.max(f, Math.min(to, bars.length));
  const v = (a: Float64Array) => a.subarray(f, t);
  return {
    symbol: bars.symbol, timeframe: bars.timeframe, length: t - f,
    time: v(bars.time), open: v(bars.open), high: v(bars.high), low: v(bars.low), close: v(bars.close), volume: v(bars.volume),
  };
}

/** A compact copy of the first `length` rows (drops any spare capacity). */
export function copyBars(bars: BarColumns, alloc: BufferAllocator = plainAllocator): BarColumns {
  const out = allocBars(bars.symbol, bars.timeframe, bars.length, alloc);
  for (const name of BAR_COLUMNS) out[name].set(bars[name].subarray(0, bars.length));
  return out;
}

export function barsEqual(a: BarColumns, b: BarColumns): boolean {
  if (a.length !== b.length || a.symbol !== b.symbol || a.timeframe !== b.timeframe) return false;
  for (const name of BAR_COLUMNS) {
    const x = a[name], y = b[name];
    for (let i = 0; i < a.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}
