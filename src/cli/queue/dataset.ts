/**
 * A data set as bytes, addressed by its content. The client stores it in Redis once under its fingerprint;
 * a worker fetches it, checks that the bytes hash to the fingerprint the job names, and keeps it. Two
 * machines that evaluate a candidate on the same fingerprint run on the same bars, bit for bit.
 *
 * Layout: "BTDS" magic, u32 format version, u32 header length, a JSON header (symbols, timeframes, lengths,
 * series names), padding to 8 bytes, then every column as little-endian float64, in header order.
 */
import type { MarketData } from '../../engine/index.ts';
import { Fnv64 } from '../../lib/fingerprint.ts';
import type { BarColumns, CorporateAction, StepSeries } from '../../schema/index.ts';

const MAGIC = 0x53445442; // "BTDS" little-endian
const FORMAT = 1;
const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

interface BarsHeader { symbol: string; timeframe: string; length: number }

interface Header {
  bars: BarsHeader[];
  series: { name: string; symbol: string | null; length: number }[] | null;
  /** The bar magnifier's finer bars (MarketData.finer), when the data set has them. */
  finer?: BarsHeader[];
  /** Corporate actions (MarketData.actions): a few plain records, in the header itself. */
  actions?: CorporateAction[];
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

function columnsOf(data: MarketData): Float64Array[] {
  const cols: Float64Array[] = [];
  for (const b of data.bars) for (const c of BAR_COLUMNS) cols.push(b[c].subarray(0, b.length));
  for (const s of data.series ?? []) cols.push(s.time.subarray(0, s.length), s.value.subarray(0, s.length));
  for (const b of data.finer ?? []) for (const c of BAR_COLUMNS) cols.push(b[c].subarray(0, b.length));
  return cols;
}

/** Every byte that defines the data: names, lengths and every column (not only time and close). */
export function datasetFingerprint(data: MarketData): string {
  const h = new Fnv64().updateString(`btds${FORMAT}`).updateNumber(data.bars.length).updateNumber(data.series ? data.series.length : -1);
  for (const b of data.bars) h.updateString(b.symbol).updateString(b.timeframe).updateNumber(b.length);
  for (const s of data.series ?? []) h.updateString(s.name).updateString(s.symbol ?? '\u0000global').updateNumber(s.length);
  h.updateNumber(data.finer ? data.finer.length : -1);
  for (const b of data.finer ?? []) h.updateString(b.symbol).updateString(b.timeframe).updateNumber(b.length);
  for (const c of columnsOf(data)) h.update(c);
  if (data.actions) h.updateString(JSON.stringify(data.actions));
  return h.digest();
}

export function encodeDataset(data: MarketData): Buffer {
  const header: Header = {
    bars: data.bars.map((b) => ({ symbol: b.symbol, timeframe: b.timeframe, length: b.length })),
    series: data.series ? data.series.map((s) => ({ name: s.name, symbol: s.symbol, length: s.length })) : null,
    ...(data.finer ? { finer: data.finer.map((b) => ({ symbol: b.symbol, timeframe: b.timeframe, length: b.length })) } : {}),
    ...(data.actions ? { actions: [...data.actions] } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((12 + json.length) / 8) * 8;
  const cols = columnsOf(data);
  const total = start + cols.reduce((n, c) => n + c.length * 8, 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  let at = start;
  for (const c of cols) {
    new Float64Array(out.buffer, out.byteOffset + at, c.length).set(c);
    at += c.length * 8;
  }
  return out;
}

function validLength(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31;
}

/** Decodes into fresh, aligned columns; any inconsistency is a DatasetError saying what. */
export function decodeDataset(bytes: Uint8Array): MarketData {
  if (bytes.length < 12) throw new DatasetError(`data set is ${bytes.length} bytes, shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new DatasetError('data set does not start with the BTDS magic');
  const format = view.getUint32(4, true);
  if (format !== FORMAT) throw new DatasetError(`data set format ${format}, this worker reads format ${FORMAT}`);
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength > bytes.length) throw new DatasetError('data set header runs past its end');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 12, jsonLength).toString('utf8')) as Header;
  } catch {
    throw new DatasetError('data set header is not JSON');
  }
  if (!Array.isArray(header.bars) || (header.series !== null && !Array.isArray(header.series)) || (header.finer !== undefined && !Array.isArray(header.finer))) {
    throw new DatasetError('data set header lacks bars/series lists');
  }
  const lengths = [
    ...header.bars.flatMap((b) => BAR_COLUMNS.map(() => b.length)),
    ...(header.series ?? []).flatMap((s) => [s.length, s.length]),
    ...(header.finer ?? []).flatMap((b) => BAR_COLUMNS.map(() => b.length)),
  ];
  if (!lengths.every(validLength)) throw new DatasetError('data set header has an invalid column length');
  const start = Math.ceil((12 + jsonLength) / 8) * 8;
  const expected = start + lengths.reduce((n, l) => n + l * 8, 0);
  if (bytes.length !== expected) throw new DatasetError(`data set is ${bytes.length} bytes, its header describes ${expected}`);
  // One aligned copy: the Redis reply's bytes need not sit at an 8-byte offset.
  const body = new Float64Array(new Uint8Array(bytes.subarray(start)).buffer);
  let at = 0;
  const take = (n: number) => {
    const c = body.subarray(at, at + n);
    at += n;
    return c;
  };
  const barsOf = (h: BarsHeader): BarColumns => {
    const [time, open, high, low, close, volume] = BAR_COLUMNS.map(() => take(h.length));
    return { symbol: String(h.symbol), timeframe: String(h.timeframe), length: h.length, time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  };
  const bars = header.bars.map(barsOf);
  const series: StepSeries[] | undefined = header.series?.map((s) => ({
    name: String(s.name), symbol: s.symbol === null ? null : String(s.symbol), length: s.length, time: take(s.length), value: take(s.length),
  }));
  const finer = header.finer?.map(barsOf);
  const actions = header.actions === undefined ? undefined : checkedActions(header.actions);
  return { bars, ...(series ? { series } : {}), ...(finer ? { finer } : {}), ...(actions ? { actions } : {}) };
}

/** Actions read from Redis are checked like any input: plain records of the right types, nothing else. */
function checkedActions(list: unknown): CorporateAction[] {
  if (!Array.isArray(list)) throw new DatasetError('data set header: actions is not a list');
  return list.map((a: unknown, i) => {
    const x = a as Record<string, unknown>;
    if (!x || typeof x.symbol !== 'string' || typeof x.exDate !== 'number' || !Number.isFinite(x.exDate)
      || (x.type !== 'split' && x.type !== 'dividend') || typeof x.value !== 'number' || !(x.value > 0) || !Number.isFinite(x.value)) {
      throw new DatasetError(`data set header: action ${i} is not a valid split or dividend`);
    }
    return { symbol: x.symbol, exDate: x.exDate, type: x.type, value: x.value };
  });
}
