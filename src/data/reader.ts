import { lowerBound } from '../lib/search.ts';
import { BarFormatError, FIXED_HEADER, columnOffset, headerLength, parseHeader, type FileHeader } from './format.ts';
import { plainAllocator, type BufferAllocator } from './columns.ts';

/** Positioned reads from one stored file (fs handle, OPFS sync handle, Blob, or memory). */
export interface RandomAccessReader {
  readonly name: string;
  readonly size: number;
  /** Fills `into` from byte `at`; returns the number of bytes read. */
  read(into: Uint8Array, at: number): Promise<number> | number;
}

/** Half-open [from, to) in UTC epoch ms; either end may be omitted. */
export interface TimeRange {
  from?: number;
  to?: number;
}

async function readExact(r: RandomAccessReader, into: Uint8Array, at: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const n = await r.read(into.subarray(done), at + done);
    if (n <= 0) throw new BarFormatError(r.name, `unexpected end of file at byte ${at + done} (truncated)`);
    done += n;
  }
}

export async function readHeader(r: RandomAccessReader): Promise<FileHeader> {
  const fixed = new Uint8Array(Math.min(FIXED_HEADER, r.size));
  await readExact(r, fixed, 0);
  const len = headerLength(fixed, r.size, r.name);
  const head = new Uint8Array(len);
  await readExact(r, head, 0);
  return parseHeader(head, r.size, r.name);
}

export interface ReadResult {
  header: FileHeader;
  count: number;
  /** One per field, all views over a single buffer from the allocator. */
  columns: Float64Array[];
}

/**
 * lowerBound(x) within one chunk's time column by positioned reads: halving with 8-byte reads down to a
 * window of 512 rows, then one small read. A range lookup costs O(log n) tiny reads, never a chunk scan.
 */
async function searchChunk(r: RandomAccessReader, h: FileHeader, chunk: number, x: number): Promise<number> {
  const rows = Math.min(h.count, (chunk + 1) * h.chunkRows) - chunk * h.chunkRows;
  const base = columnOffset(h, chunk, 0);
  const one = new Float64Array(1), oneBytes = new Uint8Array(one.buffer);
  let lo = 0, hi = rows;
  while (hi - lo > 512) {
    const mid = (lo + hi) >>> 1;
    await readExact(r, oneBytes, base + mid * 8);
    if (one[0]! < x) lo = mid + 1;
    else hi = mid;
  }
  const window = new Float64Array(hi - lo);
  await readExact(r, new Uint8Array(window.buffer), base + lo * 8);
  return lo + lowerBound(window, x);
}

/**
 * Reads the rows whose time lies in the range. Chunks are found by binary search on the index, rows within
 * the boundary chunks by searchChunk. Columns land directly in the allocator's buffer.
 */
export async function readColumns(r: RandomAccessReader, range: TimeRange = {}, alloc: BufferAllocator = plainAllocator, header?: FileHeader): Promise<ReadResult> {
  const h = header ?? await readHeader(r);
  const F = h.fields.length;
  const from = range.from ?? -Infinity, to = range.to ?? Infinity;
  const lasts = new Float64Array(h.chunkCount), firsts = new Float64Array(h.chunkCount);
  for (let c = 0; c < h.chunkCount; c++) {
    firsts[c] = h.index[2 * c]!;
    lasts[c] = h.index[2 * c + 1]!;
  }
  const c0 = lowerBound(lasts, from);
  const c1 = lowerBound(firsts, to);
  let start = 0, end = 0;
  if (c0 < c1) {
    // An open end needs no search, so a whole-file load reads every byte exactly once.
    start = from === -Infinity ? 0 : c0 * h.chunkRows + await searchChunk(r, h, c0, from);
    end = to === Infinity ? h.count : (c1 - 1) * h.chunkRows + await searchChunk(r, h, c1 - 1, to);
  }
  const count = Math.max(0, end - start);
  const buf = alloc(count * F * 8);
  const columns = h.fields.map((_, f) => new Float64Array(buf, f * count * 8, count));
  const whole = count > 0 && start === 0 && end === h.count && h.chunkCount === 1;
  if (whole) {
    // One chunk read whole has the same layout as the destination (columns back to back): one read.
    await readExact(r, new Uint8Array(buf, 0, count * F * 8), h.headerBytes);
    if (columns[0]![0] !== firsts[0] || columns[0]![count - 1] !== lasts[0]) {
      throw new BarFormatError(r.name, 'chunk 0 does not match its index entry (corrupt body)');
    }
  }
  for (let c = c0; c < c1 && count > 0 && !whole; c++) {
    const cFrom = c * h.chunkRows;
    const cTo = Math.min(h.count, cFrom + h.chunkRows);
    const a = Math.max(cFrom, start), b = Math.min(cTo, end);
    if (a >= b) continue;
    for (let f = 0; f < F; f++) {
      const col = columns[f]!;
      const dst = new Uint8Array(col.buffer, col.byteOffset + (a - start) * 8, (b - a) * 8);
      await readExact(r, dst, columnOffset(h, c, f) + (a - cFrom) * 8);
    }
    if ((a === cFrom && columns[0]![a - start] !== firsts[c]) || (b === cTo && columns[0]![b - 1 - start] !== lasts[c])) {
      throw new BarFormatError(r.name, `chunk ${c} does not match its index entry (corrupt body)`);
    }
  }
  const time = columns[0]!;
  for (let i = 1; i < count; i++) {
    if (!(time[i]! > time[i - 1]!)) throw new BarFormatError(r.name, `row ${start + i}: time is not increasing (corrupt body)`);
  }
  return { header: h, count, columns };
}

/** A reader over bytes already in memory. */
export function memoryReader(bytes: Uint8Array, name = 'memory'): RandomAccessReader {
  return {
    name,
    size: bytes.length,
    read(into, at) {
      const n = Math.max(0, Math.min(into.length, bytes.length - at));
      into.set(bytes.subarray(at, at + n));
      return n;
    },
  };
}
