import { lowerBound } from '../lib/search.ts';
import { BarFormatError, FIXED_HEADER, blockOf, headerLength, parseHeader, type BlockInfo, type FileHeader } from './format.ts';
import { Enc, blockWidth, decodeInto } from './column-codec.ts';
import { plainAllocator, type BufferAllocator } from './columns.ts';
import { zeroPages, type PageRange, type Prefault } from './prefault.ts';

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
  /**
   * One per field read (see ReadOptions.fields), views over a single buffer from the allocator; with
   * ReadOptions.sameTimeAs the time column is that column or one allocated on its own.
   */
  columns: Float64Array[];
  /** The names of `columns`, in the file's order ("time" first). */
  fields: string[];
  /** ReadOptions.spare extra columns of `count` values in the same buffer, filled with NaN. */
  spare: Float64Array[];
}

export interface ReadOptions {
  /** Fields to read besides "time" (always read); default every field. Unknown names are refused. */
  fields?: readonly string[];
  /** Extra NaN columns to allocate in the same buffer (stand-ins for fields not read). */
  spare?: number;
  /**
   * Another file's time column this one's may equal (same length, first and last time). On a whole-file
   * read the time blocks are compared with it as they are read, in pieces, and when every row matches
   * it is returned as this read's time column: nothing is allocated or written for it, and its order is
   * not checked again (it must be a column a read returned: that read checked it). From the first
   * differing chunk on, the times are decoded into a column of their own as usual.
   */
  sameTimeAs?: Float64Array;
  /** The time column in an allocation of its own (a column kept to be shared must not hold the others' buffer alive). */
  timeApart?: boolean;
  /**
   * A helper thread that takes the fresh pages of shared columns while this one reads (prefault.ts): of each
   * column a chunk decodes in place, the part its encoded bytes do not land in, decoded into only after the
   * helper answered.
   */
  prefault?: Prefault;
}

/** Below this many bytes of a chunk's columns a helper's round trip costs more than the faults it takes. */
const PREFAULT_MIN_BYTES = 1 << 20;

/** Reads a whole block (the encoded bytes) into an aligned scratch array. */
async function blockBytes(r: RandomAccessReader, h: FileHeader, chunk: number, field: number): Promise<Uint8Array> {
  const b = blockOf(h, chunk, field);
  const out = new Uint8Array(new ArrayBuffer(b.rows * blockWidth(b.enc)));
  await readExact(r, out, b.offset);
  return out;
}

/** The decoded times of one chunk, read once per call of readColumns (delta times decode from row 0). */
type TimeCache = Map<number, Float64Array>;

async function chunkTimes(r: RandomAccessReader, h: FileHeader, chunk: number, cache: TimeCache): Promise<Float64Array> {
  let t = cache.get(chunk);
  if (!t) {
    const b = blockOf(h, chunk, 0);
    t = new Float64Array(b.rows);
    decodeInto(b.enc, b.param, await blockBytes(r, h, chunk, 0), t, h.index[2 * chunk]!);
    cache.set(chunk, t);
  }
  return t;
}

/**
 * lowerBound(x) within one chunk's times. Raw times are searched by positioned reads: halving with 8-byte
 * reads down to a window of 512 rows, then one small read (O(log n) tiny reads, never a chunk scan). Delta
 * times are running sums, so the chunk's time block is read and decoded once (4 bytes a row at most).
 */
async function searchChunk(r: RandomAccessReader, h: FileHeader, chunk: number, x: number, cache: TimeCache): Promise<number> {
  const block = blockOf(h, chunk, 0);
  if (block.enc !== Enc.RAW) return lowerBound(await chunkTimes(r, h, chunk, cache), x);
  const rows = block.rows;
  const base = block.offset;
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
 * Rows per piece when a time block is compared with another file's times: the scratch is per call (at most
 * 1 MiB of four-byte steps). Pieces of 16 Ki rows made the comparison ~20 ms of each aligned asset's ~40 ms
 * read in a Chromium worker (W2), most of it the 60 reads per asset.
 */
const PIECE = 1 << 18;

/**
 * Whether a whole chunk's time block decodes to exactly `like` (the same rows of another file's times),
 * read in pieces: deltas are summed as decodeInto sums them, so equal means bit-identical. The pieces land in
 * the end of `spare` when it is twice their size: memory this read writes next anyway (a price column's rows), so
 * the comparison takes no fresh pages of its own (a scratch array per asset was ~6 ms of W2's ~15 in Chromium).
 */
async function timesMatch(r: RandomAccessReader, h: FileHeader, chunk: number, like: Float64Array, spare: Float64Array | undefined): Promise<boolean> {
  const bl = blockOf(h, chunk, 0);
  if (like.length !== bl.rows || !(bl.enc === Enc.RAW || bl.enc >= Enc.DELTA8)) return false;
  const w = blockWidth(bl.enc), size = Math.min(bl.rows, PIECE) * w;
  // Only in its last half: a scaled column's tail, where its encoded bytes land, while a helper may already be
  // writing into its head (readColumns asks for the price heads before comparing).
  const bytes = spare && spare.byteLength >= 2 * size
    ? new Uint8Array(spare.buffer, spare.byteOffset + spare.byteLength - size, size)
    : new Uint8Array(new ArrayBuffer(size));
  // The running time after each piece; NaN once a row differs. Row 0 is the chunk's first time (its index entry).
  let t = h.index[2 * chunk]!;
  if (bl.rows > 0 && bl.enc !== Enc.RAW && !Object.is(t, like[0])) return false;
  for (let p = 0; p < bl.rows; p += PIECE) {
    const n = Math.min(PIECE, bl.rows - p);
    await readExact(r, bytes.subarray(0, n * w), bl.offset + p * w);
    if (bl.enc === Enc.RAW) {
      if (!sameRaw(new Float64Array(bytes.buffer, bytes.byteOffset, n), like, p)) return false;
      continue;
    }
    const from = p === 0 ? 1 : 0;
    const d = bl.enc === Enc.DELTA8 ? bytes : bl.enc === Enc.DELTA16 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    t = runningSums(d, n, from, t, bl.param, like, p);
    if (t !== t) return false;
  }
  return true;
}

function sameRaw(v: Float64Array, like: Float64Array, p: number): boolean {
  for (let i = 0; i < v.length; i++) if (!Object.is(v[i], like[p + i])) return false;
  return true;
}

/**
 * Running sums of steps from row `from` of a piece, each compared with `like`: the time after the piece, or
 * NaN at the first difference. === is Object.is but for ±0 (a sum is never NaN), hence the test at 0: a sum
 * after row 0 is +0, and a kept column holds −0 there only if raw-encoded (a version-1 file, say).
 */
function runningSums(d: Uint8Array | Uint16Array | Uint32Array, n: number, from: number, t: number, unit: number, like: Float64Array, p: number): number {
  for (let i = from; i < n; i++) if ((t += d[i]! * unit) !== like[p + i] || (t === 0 && !Object.is(t, like[p + i]))) return NaN;
  return t;
}

/**
 * The encoded bytes of `dst.length` rows read into the tail of `dst`'s own memory (w bytes a row, w ≤ 4):
 * decoding forward then overwrites only bytes already read (row i's 8 bytes end at 8i + 8, row i + 1's
 * encoded bytes start at 8n − w(n − i − 1) ≥ 8i + 8), so a column costs no scratch memory. Fresh memory is
 * not free: every page is faulted in once, which on a loaded machine costs more than the decoding.
 */
async function readIntoTail(r: RandomAccessReader, bl: BlockInfo, a: number, dst: Float64Array): Promise<Uint8Array> {
  const w = blockWidth(bl.enc), n = dst.length;
  const tail = new Uint8Array(dst.buffer, dst.byteOffset + n * (8 - w), n * w);
  // A zero into each of its pages first: in a Chromium data worker the pages an OPFS read fills faulted again
  // when the decode wrote them (5-7 ms a W2 column, measured by touching them before decoding); written to
  // before the read, they do not, and the decode takes ~1.2 ms instead of 5-11.
  zeroPages(tail.buffer, tail.byteOffset, tail.byteOffset + tail.byteLength);
  await readExact(r, tail, bl.offset + a * w);
  return tail;
}

/** Whether fetchRows decodes this block in place (its encoded bytes read into the tail of `dst`, then decoded forward). */
function inPlace(h: FileHeader, chunk: number, field: number, a: number, dst: Float64Array, cache: TimeCache): boolean {
  const bl = blockOf(h, chunk, field);
  if (bl.enc === Enc.RAW) return false;
  if (field === 0) return a === 0 && dst.length === bl.rows && !cache.has(chunk);
  return bl.enc === Enc.SCALED;
}

/**
 * Per shared column `dsts[k]` (field `fields[k]`) that a chunk decodes in place, the part its encoded bytes
 * do not land in (null for the others): what a helper may take the pages of while the tails are read
 * (ReadOptions.prefault). All null when they come to less than PREFAULT_MIN_BYTES.
 */
function heads(h: FileHeader, chunk: number, fields: readonly number[], a: number, dsts: readonly Float64Array[], cache: TimeCache): (PageRange | null)[] {
  let bytes = 0;
  const out = dsts.map((dst, k): PageRange | null => {
    // (SharedArrayBuffer is not even defined where a page is not cross-origin isolated.)
    if (typeof SharedArrayBuffer === 'undefined' || !(dst.buffer instanceof SharedArrayBuffer) || !inPlace(h, chunk, fields[k]!, a, dst, cache)) return null;
    const w = blockWidth(blockOf(h, chunk, fields[k]!).enc);
    bytes += dst.length * (8 - w);
    return { buffer: dst.buffer, from: dst.byteOffset, to: dst.byteOffset + dst.length * (8 - w) };
  });
  return bytes >= PREFAULT_MIN_BYTES ? out : out.map(() => null);
}

/**
 * Reads rows [a, b) (chunk-relative) of one column: raw blocks straight into `dst`; the others' encoded bytes
 * into its tail, returning their decode, to run once `ready` resolved (a helper taking the pages of the part
 * the encoded bytes do not land in). Every column's bytes are read before any is decoded, so this thread
 * takes the next column's tail pages while the helper takes this one's head.
 */
async function fetchRows(r: RandomAccessReader, h: FileHeader, chunk: number, field: number, a: number, dst: Float64Array, cache: TimeCache): Promise<(() => void) | null> {
  const bl = blockOf(h, chunk, field);
  if (bl.enc === Enc.RAW) {
    await readExact(r, new Uint8Array(dst.buffer, dst.byteOffset, dst.length * 8), bl.offset + a * 8);
    return null;
  }
  if (field === 0 && a === 0 && dst.length === bl.rows && !cache.has(chunk)) {
    // A whole chunk's delta times: running sums from the chunk's first time, decoded where they land.
    const tail = await readIntoTail(r, bl, 0, dst);
    return () => decodeInto(bl.enc, bl.param, tail, dst, h.index[2 * chunk]!);
  }
  if (field === 0) {
    dst.set((await chunkTimes(r, h, chunk, cache)).subarray(a, a + dst.length));
    return null;
  }
  if (bl.enc === Enc.SCALED) {
    const tail = await readIntoTail(r, bl, a, dst);
    return () => decodeInto(bl.enc, bl.param, tail, dst, NaN);
  }
  throw new BarFormatError(r.name, `chunk ${chunk} column ${h.fields[field]}: encoding ${bl.enc} is only valid for times (corrupt header)`);
}

/**
 * Reads the rows whose time lies in the range, for the fields asked (time always). Chunks are found by
 * binary search on the index, rows within the boundary chunks by searchChunk. Columns land in the
 * allocator's buffer, back to back; a whole single-chunk version-1 file is one read.
 */
export async function readColumns(r: RandomAccessReader, range: TimeRange = {}, alloc: BufferAllocator = plainAllocator, header?: FileHeader, opts: ReadOptions = {}): Promise<ReadResult> {
  const h = header ?? await readHeader(r);
  const want = opts.fields ? new Set(opts.fields) : null;
  for (const f of want ?? []) if (!h.fields.includes(f)) throw new BarFormatError(r.name, `has no field ${JSON.stringify(f)} (fields: ${h.fields.join(', ')})`);
  const picked = h.fields.map((_, i) => i).filter((i) => i === 0 || !want || want.has(h.fields[i]!));
  const F = picked.length, spareN = opts.spare ?? 0;
  const cache: TimeCache = new Map();
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
    start = from === -Infinity ? 0 : c0 * h.chunkRows + await searchChunk(r, h, c0, from, cache);
    end = to === Infinity ? h.count : (c1 - 1) * h.chunkRows + await searchChunk(r, h, c1 - 1, to, cache);
  }
  const count = Math.max(0, end - start);
  const like = opts.sameTimeAs && start === 0 && end === h.count && opts.sameTimeAs.length === count ? opts.sameTimeAs : null;
  // Compared with `like`, the time column is not in the buffer: `like` itself, or one of its own once a chunk differs.
  const apart = like !== null || opts.timeApart === true;
  const buf = alloc((F - (apart ? 1 : 0) + spareN) * count * 8);
  const values = picked.slice(1).map((_, k) => new Float64Array(buf, (k + (apart ? 0 : 1)) * count * 8, count));
  let time: Float64Array | null = !apart ? new Float64Array(buf, 0, count) : like ? null : new Float64Array(alloc(count * 8));
  const spare = Array.from({ length: spareN }, (_, k) => new Float64Array(buf, (F - (apart ? 1 : 0) + k) * count * 8, count).fill(NaN));
  const whole = count > 0 && !apart && start === 0 && end === h.count && h.chunkCount === 1 && F === h.fields.length
    && h.blocks.every((b) => b.enc === Enc.RAW);
  if (whole) {
    // One raw chunk read whole has the same layout as the destination (columns back to back): one read.
    await readExact(r, new Uint8Array(buf, 0, count * F * 8), h.headerBytes);
    if (time![0] !== firsts[0] || time![count - 1] !== lasts[0]) {
      throw new BarFormatError(r.name, 'chunk 0 does not match its index entry (corrupt body)');
    }
  }
  for (let c = c0; c < c1 && count > 0 && !whole; c++) {
    const cFrom = c * h.chunkRows;
    const cTo = Math.min(h.count, cFrom + h.chunkRows);
    const a = Math.max(cFrom, start), b = Math.min(cTo, end);
    if (a >= b) continue;
    // Each column's head asked of the helper before the chunk's first read, one request a column: it takes the
    // heads in order while this thread reads every tail, then each column decodes once its head is taken. The
    // price columns' are asked before the times are compared with `like` (the helper was idle meanwhile).
    const ask = (fields: readonly number[], dsts: readonly Float64Array[]) =>
      opts.prefault ? heads(h, c, fields, a - cFrom, dsts, cache).map((x) => (x ? opts.prefault!([x]) : null)) : dsts.map(() => null);
    const vals = values.map((v) => v.subarray(a - start, b - start));
    const priceReady = time === null ? ask(picked.slice(1), vals) : null;
    // The comparison's pieces go into the chunk's rows of the last price column read (written after it).
    if (time === null && !(await timesMatch(r, h, c, like!.subarray(a - start, b - start), vals.at(-1)))) {
      time = new Float64Array(alloc(count * 8));
      time.set(like!.subarray(0, a - start));
    }
    const timeDst = time?.subarray(a - start, b - start);
    const dsts = timeDst ? [timeDst, ...vals] : vals;
    const fields = timeDst ? picked : picked.slice(1);
    // Price heads asked already: only a time column made after a mismatch still needs its head asked.
    const ready = priceReady === null ? ask(fields, dsts) : [...(timeDst ? ask(picked.slice(0, 1), [timeDst]) : []), ...priceReady];
    const decodes: ((() => void) | null)[] = [];
    for (let k = 0; k < dsts.length; k++) decodes.push(await fetchRows(r, h, c, fields[k]!, a - cFrom, dsts[k]!, cache));
    for (let k = 0; k < dsts.length; k++) {
      const decode = decodes[k];
      if (!decode) continue;
      await ready[k];
      decode();
    }
    cache.delete(c - 1);
    const t = time ?? like!;
    if ((a === cFrom && t[a - start] !== firsts[c]) || (b === cTo && t[b - 1 - start] !== lasts[c])) {
      throw new BarFormatError(r.name, `chunk ${c} does not match its index entry (corrupt body)`);
    }
  }
  // Still null only when every chunk matched `like`: those times were checked when `like` was read.
  const checked = time === null;
  time ??= like!;
  for (let i = 1; i < count && !checked; i++) {
    if (!(time[i]! > time[i - 1]!)) throw new BarFormatError(r.name, `row ${start + i}: time is not increasing (corrupt body)`);
  }
  const columns = [time, ...values];
  return { header: h, count, columns, fields: picked.map((i) => h.fields[i]!), spare };
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
