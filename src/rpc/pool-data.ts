import type { BarColumns, StepSeries } from '../schema/bars.ts';
import type { MarketData } from '../engine/market.ts';

type Alloc = (bytes: number) => ArrayBufferLike;

const sharedAlloc: Alloc = (n) => new SharedArrayBuffer(n);
const plainAlloc: Alloc = (n) => new ArrayBuffer(n);

/** Whether worker threads can read one SharedArrayBuffer (browser pages only when cross-origin isolated). */
export function canShareMemory(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer !== 'undefined' && g.crossOriginIsolated !== false;
}

const isShared = (a: Float64Array) => typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;

/** Packs equal-length columns back to back into one new buffer (one allocation, one object to share). */
function pack(cols: readonly Float64Array[], length: number, alloc: Alloc): Float64Array[] {
  const buf = alloc(Math.max(1, cols.length * length) * 8);
  return cols.map((c, i) => {
    const out = new Float64Array(buf, i * length * 8, length);
    out.set(c.subarray(0, length));
    return out;
  });
}

function rebackBars(b: BarColumns, alloc: Alloc): BarColumns {
  const [time, open, high, low, close, volume] = pack([b.time, b.open, b.high, b.low, b.close, b.volume], b.length, alloc);
  return { symbol: b.symbol, timeframe: b.timeframe, length: b.length, time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
}

function rebackSeries(s: StepSeries, alloc: Alloc): StepSeries {
  const [time, value] = pack([s.time, s.value], s.length, alloc);
  return { name: s.name, symbol: s.symbol, length: s.length, time: time!, value: value! };
}

/**
 * The data as the pool sends them. Shared mode: every column lives in a SharedArrayBuffer, so posting it
 * to N workers copies nothing (columns that are not shared yet are moved into one, once). Copy mode: every
 * column is in a plain buffer, so each worker receives its own structured-clone copy; shared columns are
 * copied out first, which is also what lets an isolated test page exercise the real copy path.
 */
export function prepareData(data: MarketData, shared: boolean): MarketData {
  const alloc = shared ? sharedAlloc : plainAlloc;
  const fits = (a: Float64Array) => isShared(a) === shared;
  const fitBars = (b: BarColumns) => (fits(b.time) && fits(b.open) && fits(b.high) && fits(b.low) && fits(b.close) && fits(b.volume) ? b : rebackBars(b, alloc));
  const bars = data.bars.map(fitBars);
  const series = data.series?.map((s) => (fits(s.time) && fits(s.value) ? s : rebackSeries(s, alloc)));
  // The bar magnifier's finer bars travel like the run's bars (a finerData run on a worker sees what it sees locally).
  const finer = data.finer?.map(fitBars);
  // Corporate actions are a few plain objects: they travel as they are.
  return { bars, ...(series ? { series } : {}), ...(finer ? { finer } : {}), ...(data.actions ? { actions: data.actions } : {}) };
}
