import { Enc, blockWidth, encodeTimes, encodeValues, type Block } from './column-codec.ts';

/**
 * The bar store file format, shared by OPFS, the Node file system and in-memory stores.
 *
 * Layout (all numbers little-endian):
 *   0   8  magic "SWBTCOL\n"
 *   8   4  u32 version (1 or 2; this build writes 2 and reads both)
 *   12  4  u32 headerBytes: where the first chunk starts (multiple of 8)
 *   16  4  u32 fieldCount F
 *   20  4  u32 chunkRows: rows per chunk (the last chunk may be shorter)
 *   24  4  u32 count: rows
 *   28  4  u32 chunkCount = ceil(count / chunkRows)
 *   32  8  f64 first time (NaN when empty)
 *   40  8  f64 last time (NaN when empty)
 *   48  4  u32 metaBytes M
 *   52  4  u32 FNV-1a checksum of bytes [0, headerBytes) computed with this field zeroed
 *   56  8F field names, ASCII, NUL-padded to 8 bytes each (column 0 is always "time")
 *   ..  M  metadata JSON (UTF-8), then zero padding to a multiple of 8
 *   ..  16 × chunkCount: the chunk index, (first time, last time) per chunk, f64 each
 *   ..  (version 2) 16 × chunkCount × F: the column directory, per chunk and field: u32 encoding, u32 encoded
 *       byte length, f64 parameter (column-codec.ts); covered by the header checksum
 *   headerBytes: chunk 0's F column blocks, then chunk 1's, ...; version 1: raw f64 columns of rows₀ values;
 *       version 2: each block as its directory entry says, zero-padded to a multiple of 8 bytes.
 * A file's size must be exactly headerBytes + the blocks' padded lengths: anything else is truncated or padded.
 * Version 2 stores prices as scaled int32 and times as deltas where every value comes back bit for bit, and
 * raw doubles where one would not, so both versions read back exactly what was written.
 */
export const MAGIC = 'SWBTCOL\n';
export const FORMAT_VERSION = 2;
/** Raw float64 columns, no directory: written by stores before version 2, still read. */
export const FORMAT_V1 = 1;
export const FIXED_HEADER = 56;
/**
 * Rows per chunk. Large on purpose: a whole chunk loads in one read (a 10-year minute series fits in one),
 * and row lookups inside a chunk are binary searches by positioned reads, so size costs range reads nothing.
 */
export const DEFAULT_CHUNK_ROWS = 1 << 21;
const MAX_FIELDS = 64;
const MAX_META = 1 << 20;

export class BarFormatError extends Error {
  override name = 'BarFormatError';
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
  }
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // Columns are read straight into Float64Arrays; a big-endian host would see garbage.
  throw new Error('bar store format requires a little-endian platform');
}

export interface FileMeta {
  kind: 'bars' | 'series';
  /** Symbol for bars and per-symbol series; null for a global series. */
  symbol: string | null;
  /** Timeframe for bars, series name for series. */
  key: string;
  [extra: string]: unknown;
}

export interface FileHeader {
  version: number;
  headerBytes: number;
  fields: string[];
  chunkRows: number;
  count: number;
  chunkCount: number;
  first: number;
  last: number;
  meta: FileMeta;
  /** Per chunk: [first time, last time]. */
  index: Float64Array;
  /** Per chunk × field (chunk-major): how and where the column is stored. */
  blocks: BlockInfo[];
  /** Exact file size implied by the header. */
  totalBytes: number;
}

export interface BlockInfo {
  enc: number;
  param: number;
  /** File offset of the block's first byte. */
  offset: number;
  /** Encoded bytes (without padding). */
  bytes: number;
  rows: number;
}

function fnv1a(bytes: Uint8Array, skipFrom: number, skipTo: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h = Math.imul(h ^ (i >= skipFrom && i < skipTo ? 0 : bytes[i]!), 0x01000193);
  }
  return h >>> 0;
}

const pad8 = (n: number) => (n + 7) & ~7;

/** Everything needed to write a file: the header bytes, then each chunk's columns in order (views, no copies). */
export interface EncodedFile {
  header: Uint8Array;
  totalBytes: number;
  pieces(): Iterable<Uint8Array>;
}

export function encodeColumns(
  fields: readonly string[], columns: readonly Float64Array[], count: number, meta: FileMeta, chunkRows = DEFAULT_CHUNK_ROWS,
): EncodedFile {
  const where = `encode ${meta.kind} ${meta.symbol ?? '(global)'}/${meta.key}`;
  if (fields.length !== columns.length || fields.length === 0 || fields.length > MAX_FIELDS) {
    throw new BarFormatError(where, `field count ${fields.length} does not match ${columns.length} columns`);
  }
  if (fields[0] !== 'time') throw new BarFormatError(where, 'the first field must be "time"');
  if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) throw new BarFormatError(where, `bad row count ${count}`);
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new BarFormatError(where, `bad chunk size ${chunkRows}`);
  columns.forEach((c, i) => {
    if (c.length < count) throw new BarFormatError(where, `column ${fields[i]} has ${c.length} values, need ${count}`);
  });
  const time = columns[0]!;
  for (let i = 0; i < count; i++) {
    const t = time[i]!;
    if (!Number.isFinite(t)) throw new BarFormatError(where, `row ${i}: time is not finite (${t})`);
    if (i > 0 && !(t > time[i - 1]!)) throw new BarFormatError(where, `row ${i}: time ${t} is not after ${time[i - 1]}`);
  }
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  if (metaBytes.length > MAX_META) throw new BarFormatError(where, 'metadata too large');
  const chunkCount = Math.ceil(count / chunkRows);
  const F = fields.length;
  const blocks: Block[] = [];
  for (let c = 0; c < chunkCount; c++) {
    const from = c * chunkRows, to = Math.min(count, from + chunkRows);
    columns.forEach((col, f) => blocks.push((f === 0 ? encodeTimes : encodeValues)(col.subarray(from, to))));
  }
  const indexAt = pad8(FIXED_HEADER + 8 * F + metaBytes.length);
  const dirAt = indexAt + 16 * chunkCount;
  const headerBytes = dirAt + 16 * chunkCount * F;
  const header = new Uint8Array(headerBytes);
  const dv = new DataView(header.buffer);
  for (let i = 0; i < 8; i++) header[i] = MAGIC.charCodeAt(i);
  dv.setUint32(8, FORMAT_VERSION, true);
  dv.setUint32(12, headerBytes, true);
  dv.setUint32(16, F, true);
  dv.setUint32(20, chunkRows, true);
  dv.setUint32(24, count, true);
  dv.setUint32(28, chunkCount, true);
  dv.setFloat64(32, count ? time[0]! : NaN, true);
  dv.setFloat64(40, count ? time[count - 1]! : NaN, true);
  dv.setUint32(48, metaBytes.length, true);
  fields.forEach((name, i) => {
    if (!/^[a-z][a-z0-9_]{0,7}$/.test(name)) throw new BarFormatError(where, `bad field name ${JSON.stringify(name)}`);
    for (let k = 0; k < name.length; k++) header[FIXED_HEADER + 8 * i + k] = name.charCodeAt(k);
  });
  header.set(metaBytes, FIXED_HEADER + 8 * F);
  for (let c = 0; c < chunkCount; c++) {
    dv.setFloat64(indexAt + 16 * c, time[c * chunkRows]!, true);
    dv.setFloat64(indexAt + 16 * c + 8, time[Math.min(count, (c + 1) * chunkRows) - 1]!, true);
  }
  let body = 0;
  blocks.forEach((bl, k) => {
    dv.setUint32(dirAt + 16 * k, bl.enc, true);
    dv.setUint32(dirAt + 16 * k + 4, bl.bytes.length, true);
    dv.setFloat64(dirAt + 16 * k + 8, bl.param, true);
    body += pad8(bl.bytes.length);
  });
  dv.setUint32(52, fnv1a(header, 52, 56), true);
  const zeros = new Uint8Array(8);
  return {
    header,
    totalBytes: headerBytes + body,
    *pieces() {
      for (const bl of blocks) {
        yield bl.bytes;
        const pad = pad8(bl.bytes.length) - bl.bytes.length;
        if (pad) yield zeros.subarray(0, pad);
      }
    },
  };
}

/** Reads the fixed part: enough to know how many header bytes to fetch. */
export function headerLength(fixed: Uint8Array, fileSize: number, where: string): number {
  if (fileSize < FIXED_HEADER || fixed.length < FIXED_HEADER) {
    throw new BarFormatError(where, `file is ${fileSize} bytes, shorter than the ${FIXED_HEADER}-byte header (truncated)`);
  }
  for (let i = 0; i < 8; i++) {
    if (fixed[i] !== MAGIC.charCodeAt(i)) throw new BarFormatError(where, 'wrong magic: not a bar store file');
  }
  const dv = new DataView(fixed.buffer, fixed.byteOffset, FIXED_HEADER);
  const version = dv.getUint32(8, true);
  if (version !== FORMAT_VERSION && version !== FORMAT_V1) {
    throw new BarFormatError(where, `unknown format version ${version} (this build reads versions ${FORMAT_V1} and ${FORMAT_VERSION})`);
  }
  const headerBytes = dv.getUint32(12, true);
  if (headerBytes < FIXED_HEADER || headerBytes % 8 !== 0 || headerBytes > fileSize) {
    throw new BarFormatError(where, `header length ${headerBytes} is impossible for a ${fileSize}-byte file (truncated or corrupt)`);
  }
  return headerBytes;
}

export function parseHeader(bytes: Uint8Array, fileSize: number, where: string): FileHeader {
  const headerBytes = headerLength(bytes, fileSize, where);
  if (bytes.length < headerBytes) throw new BarFormatError(where, `header truncated: ${bytes.length} of ${headerBytes} bytes`);
  const head = bytes.subarray(0, headerBytes);
  const dv = new DataView(head.buffer, head.byteOffset, headerBytes);
  if (dv.getUint32(52, true) !== fnv1a(head, 52, 56)) throw new BarFormatError(where, 'header checksum mismatch (corrupt header)');
  const fieldCount = dv.getUint32(16, true);
  const chunkRows = dv.getUint32(20, true);
  const count = dv.getUint32(24, true);
  const chunkCount = dv.getUint32(28, true);
  const metaLen = dv.getUint32(48, true);
  if (fieldCount < 1 || fieldCount > MAX_FIELDS) throw new BarFormatError(where, `bad field count ${fieldCount}`);
  if (chunkRows < 1 || chunkCount !== Math.ceil(count / chunkRows)) {
    throw new BarFormatError(where, `chunk count ${chunkCount} disagrees with ${count} rows of ${chunkRows}`);
  }
  const version = dv.getUint32(8, true);
  const indexAt = pad8(FIXED_HEADER + 8 * fieldCount + metaLen);
  const dirAt = indexAt + 16 * chunkCount;
  if (dirAt + (version === FORMAT_V1 ? 0 : 16 * chunkCount * fieldCount) !== headerBytes) {
    throw new BarFormatError(where, 'header layout is inconsistent (corrupt header)');
  }
  const blocks: BlockInfo[] = [];
  let at = headerBytes;
  for (let c = 0; c < chunkCount; c++) {
    const rows = Math.min(count, (c + 1) * chunkRows) - c * chunkRows;
    for (let f = 0; f < fieldCount; f++) {
      const k = c * fieldCount + f;
      const enc = version === FORMAT_V1 ? Enc.RAW : dv.getUint32(dirAt + 16 * k, true);
      const bytes = version === FORMAT_V1 ? rows * 8 : dv.getUint32(dirAt + 16 * k + 4, true);
      const param = version === FORMAT_V1 ? 0 : dv.getFloat64(dirAt + 16 * k + 8, true);
      let width: number;
      try {
        width = blockWidth(enc);
      } catch {
        throw new BarFormatError(where, `chunk ${c} column ${f}: unknown encoding ${enc} (corrupt header)`);
      }
      if (bytes !== rows * width || (enc !== Enc.RAW && !(param > 0 && Number.isFinite(param))) || (f === 0 && enc === Enc.SCALED)) {
        throw new BarFormatError(where, `chunk ${c} column ${f}: directory entry is inconsistent (corrupt header)`);
      }
      blocks.push({ enc, param, offset: at, bytes, rows });
      at += pad8(bytes);
    }
  }
  const totalBytes = at;
  if (fileSize !== totalBytes) {
    throw new BarFormatError(where, fileSize < totalBytes
      ? `truncated: header says ${count} rows (${totalBytes} bytes) but the file has ${fileSize} bytes`
      : `row count ${count} disagrees with the file size ${fileSize} (expected ${totalBytes} bytes)`);
  }
  const fields: string[] = [];
  for (let i = 0; i < fieldCount; i++) {
    let s = '';
    for (let k = 0; k < 8; k++) {
      const c = head[FIXED_HEADER + 8 * i + k]!;
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    fields.push(s);
  }
  if (fields[0] !== 'time') throw new BarFormatError(where, `first field is ${JSON.stringify(fields[0])}, expected "time"`);
  let meta: FileMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(head.subarray(FIXED_HEADER + 8 * fieldCount, FIXED_HEADER + 8 * fieldCount + metaLen))) as FileMeta;
  } catch {
    throw new BarFormatError(where, 'metadata is not valid JSON');
  }
  const index = new Float64Array(2 * chunkCount);
  for (let i = 0; i < 2 * chunkCount; i++) index[i] = dv.getFloat64(indexAt + 8 * i, true);
  return {
    version, headerBytes, fields, chunkRows, count, chunkCount,
    first: dv.getFloat64(32, true), last: dv.getFloat64(40, true), meta, index, blocks, totalBytes,
  };
}

/** Where column `field` of chunk `chunk` is stored. */
export const blockOf = (h: FileHeader, chunk: number, field: number): BlockInfo => h.blocks[chunk * h.fields.length + field]!;
