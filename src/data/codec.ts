import type { BarColumns, StepSeries } from '../schema/bars.ts';
import { BAR_COLUMNS, plainAllocator, sharedAllocator, type BufferAllocator } from './columns.ts';
import { BarFormatError, DEFAULT_CHUNK_ROWS, encodeColumns, type EncodedFile } from './format.ts';
import { memoryReader, readColumns, readHeader, type RandomAccessReader, type ReadOptions, type ReadResult, type TimeRange } from './reader.ts';
import type { BarField } from '../schema/bars.ts';
import type { Prefault } from './prefault.ts';

const SERIES_FIELDS = ['time', 'value'] as const;

export function encodeBars(bars: BarColumns, chunkRows = DEFAULT_CHUNK_ROWS): EncodedFile {
  return encodeColumns(BAR_COLUMNS, BAR_COLUMNS.map((n) => bars[n]), bars.length,
    { kind: 'bars', symbol: bars.symbol, key: bars.timeframe }, chunkRows);
}

export function encodeSeries(s: StepSeries, chunkRows = DEFAULT_CHUNK_ROWS): EncodedFile {
  return encodeColumns(SERIES_FIELDS, [s.time, s.value], s.length, { kind: 'series', symbol: s.symbol, key: s.name }, chunkRows);
}

/** The whole file as one byte array (tests, small files, downloads). */
export function toBytes(enc: EncodedFile): Uint8Array {
  const out = new Uint8Array(enc.totalBytes);
  out.set(enc.header);
  let at = enc.header.length;
  for (const p of enc.pieces()) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function expectFields(name: string, got: readonly string[], want: readonly string[]): void {
  if (got.length !== want.length || got.some((f, i) => f !== want[i])) {
    throw new BarFormatError(name, `field layout [${got.join(',')}] is not [${want.join(',')}]`);
  }
}

/**
 * The stand-in for price fields not read, in shared memory: one NaN column of the longest bar set asked for,
 * kept, and handed out as views (posting a view of shared memory copies nothing), so a load of 7 assets
 * holds one NaN column, not seven. Nothing writes into loaded bars (workers share them), so one is enough.
 */
let sharedNaN: Float64Array | null = null;

function nanColumn(n: number): Float64Array {
  reserveNanColumn(n);
  return sharedNaN!.subarray(0, n);
}

/**
 * Makes the kept NaN column at least `n` long now. The data worker calls it, idle, when it opens the store,
 * for its longest bar set: the first load of only some fields then does not fill it on its way (W2: 7.5 MiB
 * of NaN, ~20 ms in Chromium before the second asset's read could start).
 */
export function reserveNanColumn(n: number): void {
  if (!sharedNaN || sharedNaN.length < n) sharedNaN = new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8)).fill(NaN);
}

/**
 * Time columns read into shared memory, by length and first and last time: bar sets of one exchange and
 * timeframe usually have identical times (W2's 7 assets: 47 MB that are one column's 7.5), so a read whose
 * file may hold the same times compares them with the kept column as it reads (ReadOptions.sameTimeAs) and
 * shares it when equal. Only in shared memory: nothing writes loaded bars (workers share them), and a
 * plain buffer may be transferred, which would detach it for every set sharing it. Reads of one key take
 * turns, so concurrent loads of aligned assets still find the first one's column.
 */
class SharedTimes {
  private readonly kept = new Map<string, WeakRef<Float64Array>>();
  private readonly busy = new Map<string, Promise<void>>();

  /** The kept column for `key` (null when none) and what to call with this read's column, or null when it failed. */
  async take(key: string): Promise<{ like: Float64Array | null; done: (time: Float64Array | null) => void }> {
    for (let b = this.busy.get(key); b; b = this.busy.get(key)) await b;
    const like = this.kept.get(key)?.deref() ?? null;
    if (like) return { like, done: () => undefined };
    let release = () => undefined as void;
    this.busy.set(key, new Promise<void>((r) => { release = r; }));
    return {
      like: null,
      done: (time) => {
        if (time) this.keep(key, time);
        this.busy.delete(key);
        release();
      },
    };
  }

  /** Whether a live time column is kept for `key` (a read of that key then allocates no time column when they match). */
  holds(key: string): boolean {
    return this.kept.get(key)?.deref() !== undefined;
  }

  private keep(key: string, time: Float64Array): void {
    for (const [k, ref] of this.kept) if (!ref.deref()) this.kept.delete(k);
    this.kept.set(key, new WeakRef(time));
  }
}

const sharedTimes = new SharedTimes();

/** SharedTimes' key of a whole bar file: rows, first and last time (the first and last of the header's index). */
export function timeKey(rows: number, first: number, last: number): string {
  return `${rows}|${first}|${last}`;
}

/** Whether a whole-file load of a set with this key would find a kept time column to compare with (load-sizes.ts). */
export function holdsTimes(key: string): boolean {
  return sharedTimes.holds(key);
}

/** BarColumns.timeId of each time column read into shared memory: one id per column object. */
const timeIds = new WeakMap<Float64Array, number>();
let nextTimeId = 1;

function timeIdOf(time: Float64Array): number {
  let id = timeIds.get(time);
  if (id === undefined) timeIds.set(time, (id = nextTimeId++));
  return id;
}

/**
 * Reads a bar set. With `fields`, only those price fields are read (time always); every field not read points
 * at one NaN column, so a reader that wrongly uses it sees NaN, never a plausible price: with the shared
 * allocator one kept column for every load (nanColumn), otherwise one more column in the set's own buffer.
 */
export async function readBars(
  r: RandomAccessReader, range?: TimeRange, alloc: BufferAllocator = plainAllocator, fields?: readonly BarField[], prefault?: Prefault,
): Promise<BarColumns> {
  const partial = fields && BAR_COLUMNS.some((n) => n !== 'time' && !fields.includes(n));
  const kept = alloc === sharedAllocator;
  const opts: ReadOptions = { ...(partial ? { fields, spare: kept ? 0 : 1 } : {}), ...(prefault ? { prefault } : {}) };
  // A whole file in shared memory may share its times with a set read before (SharedTimes).
  const whole = kept && range?.from === undefined && range?.to === undefined;
  const head = whole ? await readHeader(r) : undefined;
  const turn = head && head.count > 0 ? await sharedTimes.take(timeKey(head.count, head.index[0]!, head.index[2 * head.chunkCount - 1]!)) : null;
  let read: ReadResult | null = null;
  try {
    read = await readColumns(r, range, alloc, head, turn ? { ...opts, timeApart: true, ...(turn.like ? { sameTimeAs: turn.like } : {}) } : opts);
  } finally {
    turn?.done(read?.columns[0] ?? null);
  }
  const { header, count, columns, fields: got, spare } = read;
  if (header.meta.kind !== 'bars') throw new BarFormatError(r.name, `holds a ${String(header.meta.kind)}, not bars`);
  expectFields(r.name, header.fields, BAR_COLUMNS);
  const missing = partial ? spare[0] ?? nanColumn(count) : null;
  const col = (n: string) => columns[got.indexOf(n)] ?? missing!;
  return {
    symbol: String(header.meta.symbol), timeframe: header.meta.key, length: count,
    time: col('time'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume'),
    // A time column that SharedTimes may hand to other sets (kept, or the kept one): its id says so.
    ...(turn ? { timeId: timeIdOf(columns[0]!) } : {}),
  };
}

export async function readSeries(r: RandomAccessReader, range?: TimeRange, alloc: BufferAllocator = plainAllocator): Promise<StepSeries> {
  const { header, count, columns } = await readColumns(r, range, alloc);
  if (header.meta.kind !== 'series') throw new BarFormatError(r.name, `holds ${String(header.meta.kind)}, not a series`);
  expectFields(r.name, header.fields, SERIES_FIELDS);
  return { name: header.meta.key, symbol: header.meta.symbol, length: count, time: columns[0]!, value: columns[1]! };
}

export const decodeBars = (bytes: Uint8Array, range?: TimeRange, name = 'bytes') => readBars(memoryReader(bytes, name), range);
export const decodeSeries = (bytes: Uint8Array, range?: TimeRange, name = 'bytes') => readSeries(memoryReader(bytes, name), range);
