import type { OrderRecord, RunResult, SignalEvent, Trade } from '../schema/results.ts';

/**
 * A run's trades, orders and signals as columns: one typed array per field plus one string table, so a
 * result of 100k signals and 100k orders leaves a worker as a handful of transferred buffers instead of
 * 200k structured-cloned objects. Condition traces are not carried: the page asks for them when a signal is
 * opened (explain re-evaluates that bar deterministically and yields the same tree).
 *
 * Values round-trip bit for bit (Float64Array keeps -0 and every NaN as NaN); `null` and an absent optional
 * field stay distinct. Decoded objects list their keys in one canonical order (the schema's).
 */

/** How one field is stored: a number, a number or null, an optional number, or the same for strings. */
type Kind = 'num' | 'num?' | 'num|null' | 'str' | 'str?' | 'str|null';

type Spec<T> = readonly (readonly [keyof T & string, Kind])[];

const TRADE: Spec<Trade> = [
  ['symbol', 'str'], ['side', 'str'], ['quantity', 'num'], ['entryTime', 'num'], ['exitTime', 'num'],
  ['entryPrice', 'num'], ['exitPrice', 'num'], ['pnl', 'num'], ['returnPct', 'num'], ['fees', 'num'],
  ['strategyId', 'str'], ['exitReason', 'str?'], ['dividends', 'num?'],
];

const ORDER: Spec<OrderRecord> = [
  ['id', 'num'], ['strategyId', 'str'], ['symbol', 'str'], ['side', 'str'], ['quantity', 'num'], ['createdTime', 'num'],
  ['status', 'str'], ['fillTime', 'num|null'], ['fillPrice', 'num|null'], ['filledQuantity', 'num'], ['fees', 'num'],
  ['reason', 'str|null'], ['type', 'str?'], ['stopPrice', 'num?'], ['limitPrice', 'num?'], ['parentId', 'num?'],
];

/** Flat fields of a signal; its weights and order ids are lists, stored with offsets (see SignalColumns). */
const SIGNAL: Spec<SignalEvent> = [['time', 'num'], ['strategyId', 'str'], ['action', 'str']];

/** Markers in a string column (indices ≥ 0 point into the string table) and in a number's state column. */
const NULL = -1, ABSENT = -2;
const S_VALUE = 0, S_NULL = 1, S_ABSENT = 2;

/** One column per field: numbers as Float64Array (+ a state byte when null or absent is possible), strings as table indices. */
export interface Table {
  length: number;
  num: Record<string, Float64Array>;
  state: Record<string, Uint8Array>;
  str: Record<string, Int32Array>;
}

export interface SignalColumns extends Table {
  /** Signal i's weights are entries weightStart[i] … weightStart[i + 1] − 1; weightNull[i] = 1 for `null`. */
  weightStart: Int32Array;
  weightNull: Uint8Array;
  weightAsset: Int32Array;
  weightValue: Float64Array;
  /** Signal i's order ids are orderIds[orderStart[i] … orderStart[i + 1] − 1]. */
  orderStart: Int32Array;
  orderIds: Float64Array;
  /** A message string index, or −1 for null. */
  message: Int32Array;
}

export interface ResultColumns {
  strings: string[];
  trades: Table;
  orders: Table;
  signals: SignalColumns;
}

/** A RunResult as it crosses from a worker to the page: everything but trades, orders and signals, plus their columns. */
export type ColumnarResult = Omit<RunResult, 'trades' | 'orders' | 'signals'> & { columns: ResultColumns };

class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function encodeTable<T>(rows: readonly T[], spec: Spec<T>, strings: Strings): Table {
  const n = rows.length;
  const t: Table = { length: n, num: {}, state: {}, str: {} };
  for (const [key, kind] of spec) {
    if (kind === 'str' || kind === 'str?' || kind === 'str|null') {
      const col = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = (rows[i] as Record<string, unknown>)[key];
        col[i] = v === undefined ? ABSENT : v === null ? NULL : strings.id(v as string);
      }
      t.str[key] = col;
    } else {
      const col = new Float64Array(n);
      const state = kind === 'num' ? null : new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = (rows[i] as Record<string, unknown>)[key];
        if (typeof v === 'number') col[i] = v;
        else state![i] = v === null ? S_NULL : S_ABSENT;
      }
      t.num[key] = col;
      if (state) t.state[key] = state;
    }
  }
  return t;
}

/** Row i of a table as an object with the spec's keys in order (absent optionals left out). */
function decodeRow(t: Table, spec: Spec<unknown>, strings: readonly string[], i: number, into: Record<string, unknown>): void {
  for (const [key, kind] of spec) {
    if (kind === 'str' || kind === 'str?' || kind === 'str|null') {
      const s = t.str[key]![i]!;
      if (s !== ABSENT) into[key] = s === NULL ? null : strings[s];
    } else {
      const st = kind === 'num' ? S_VALUE : t.state[key]![i]!;
      if (st === S_VALUE) into[key] = t.num[key]![i];
      else if (st === S_NULL) into[key] = null;
    }
  }
}

function decodeTable<T>(t: Table, spec: Spec<T>, strings: readonly string[]): T[] {
  const out = new Array<T>(t.length);
  for (let i = 0; i < t.length; i++) {
    const row: Record<string, unknown> = {};
    decodeRow(t, spec as Spec<unknown>, strings, i, row);
    out[i] = row as T;
  }
  return out;
}

function encodeSignals(signals: readonly SignalEvent[], strings: Strings): SignalColumns {
  const n = signals.length;
  let weights = 0, orders = 0;
  for (const s of signals) {
    weights += s.weights?.length ?? 0;
    orders += s.orderIds.length;
  }
  const base = encodeTable(signals, SIGNAL, strings);
  const c: SignalColumns = {
    ...base,
    weightStart: new Int32Array(n + 1), weightNull: new Uint8Array(n),
    weightAsset: new Int32Array(weights), weightValue: new Float64Array(weights),
    orderStart: new Int32Array(n + 1), orderIds: new Float64Array(orders),
    message: new Int32Array(n),
  };
  let w = 0, o = 0;
  for (let i = 0; i < n; i++) {
    const s = signals[i]!;
    c.weightStart[i] = w;
    if (s.weights === null) c.weightNull[i] = 1;
    else for (const x of s.weights) { c.weightAsset[w] = strings.id(x.asset); c.weightValue[w++] = x.weight; }
    c.orderStart[i] = o;
    for (const id of s.orderIds) c.orderIds[o++] = id;
    c.message[i] = s.message === null ? NULL : strings.id(s.message);
  }
  c.weightStart[n] = w;
  c.orderStart[n] = o;
  return c;
}

function decodeSignals(c: SignalColumns, strings: readonly string[]): SignalEvent[] {
  const out = new Array<SignalEvent>(c.length);
  for (let i = 0; i < c.length; i++) {
    const row: Record<string, unknown> = {};
    decodeRow(c, SIGNAL as Spec<unknown>, strings, i, row);
    let weights: { asset: string; weight: number }[] | null = null;
    if (c.weightNull[i] === 0) {
      weights = [];
      for (let w = c.weightStart[i]!; w < c.weightStart[i + 1]!; w++) weights.push({ asset: strings[c.weightAsset[w]!]!, weight: c.weightValue[w]! });
    }
    row.weights = weights;
    row.orderIds = Array.from(c.orderIds.subarray(c.orderStart[i], c.orderStart[i + 1]));
    const m = c.message[i]!;
    row.message = m === NULL ? null : strings[m]!;
    out[i] = row as unknown as SignalEvent;
  }
  return out;
}

/** Columns of a result (traces are dropped: they come back through explain). */
export function encodeResult(r: RunResult): ColumnarResult {
  const strings = new Strings();
  const { trades, orders, signals, ...rest } = r;
  const columns: ResultColumns = {
    strings: strings.list,
    trades: encodeTable(trades, TRADE, strings),
    orders: encodeTable(orders, ORDER, strings),
    signals: encodeSignals(signals, strings),
  };
  return { ...rest, columns };
}

/** The RunResult back from its columns: signals carry no `trace` (ask explain for it). */
export function decodeResult(c: ColumnarResult): RunResult {
  const { columns, ...rest } = c;
  const s = columns.strings;
  return {
    ...rest,
    trades: decodeTable<Trade>(columns.trades, TRADE, s),
    orders: decodeTable<OrderRecord>(columns.orders, ORDER, s),
    signals: decodeSignals(columns.signals, s),
  };
}

/** Every buffer of the columns (each array owns its buffer, so all of them can be transferred). */
export function columnTransferables(c: ResultColumns): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: { buffer: ArrayBufferLike }) => { if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer); };
  for (const t of [c.trades, c.orders, c.signals]) {
    for (const a of Object.values(t.num)) add(a);
    for (const a of Object.values(t.state)) add(a);
    for (const a of Object.values(t.str)) add(a);
  }
  const g = c.signals;
  for (const a of [g.weightStart, g.weightNull, g.weightAsset, g.weightValue, g.orderStart, g.orderIds, g.message]) add(a);
  return [...out];
}
