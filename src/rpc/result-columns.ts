import type { OrderRecord, RunResult, SignalEvent, Trade } from '../schema/results.ts';
import { ABSENT, NULL, S_ABSENT, S_NULL, S_VALUE, Strings, type ResultColumns, type SignalColumns, type Table } from '../lib/result-table.ts';

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

export type { ResultColumns, SignalColumns, Table } from '../lib/result-table.ts';

/** A RunResult as it crosses from a worker to the page: everything but trades, orders and signals, plus their columns. */
export type ColumnarResult = Omit<RunResult, 'trades' | 'orders' | 'signals' | 'columns'> & { columns: ResultColumns };

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

type TableDecoder = (t: Table, strings: readonly string[]) => Record<string, unknown>[];

/** decodeRow over every row: the reference, and what runs where code generation is not allowed (a CSP). */
const interpreted = (spec: Spec<unknown>): TableDecoder => (t, strings) => {
  const out = new Array<Record<string, unknown>>(t.length);
  for (let i = 0; i < t.length; i++) {
    const row: Record<string, unknown> = {};
    decodeRow(t, spec, strings, i, row);
    out[i] = row;
  }
  return out;
};

/**
 * decodeRow's steps for one spec written out as code: one named store per field in spec order, so every row
 * of a table gets the same hidden class and the stores are monomorphic, where the generic loop's keyed stores
 * (`into[key]`) are not. It saves 10–20 % of the CPU decoding W2's 210k orders and signals takes in one Node
 * process (most of that cost is allocating the objects). Same objects, same key order
 * (test/unit/rpc/result-columns.test.ts compares both on every field kind).
 */
function generated(spec: Spec<unknown>): TableDecoder | null {
  const head: string[] = [], body: string[] = [];
  spec.forEach(([key, kind], f) => {
    const k = JSON.stringify(key);
    if (kind === 'str' || kind === 'str?' || kind === 'str|null') {
      head.push(`const c${f} = t.str[${k}];`);
      body.push(`k = c${f}[i]; if (k !== ${ABSENT}) o[${k}] = k === ${NULL} ? null : s[k];`);
    } else if (kind === 'num') {
      head.push(`const c${f} = t.num[${k}];`);
      body.push(`o[${k}] = c${f}[i];`);
    } else {
      head.push(`const c${f} = t.num[${k}], z${f} = t.state[${k}];`);
      body.push(`k = z${f}[i]; if (k === ${S_VALUE}) o[${k}] = c${f}[i]; else if (k === ${S_NULL}) o[${k}] = null;`);
    }
  });
  const source = `${head.join('\n')}
const n = t.length, out = new Array(n);
for (let i = 0; i < n; i++) {
  const o = {};
  let k;
  ${body.join('\n  ')}
  out[i] = o;
}
return out;`;
  try {
    return new Function('t', 's', source) as TableDecoder;
  } catch {
    return null;
  }
}

const decoders = new Map<Spec<unknown>, TableDecoder>();

/** The table's rows as objects: generated code when allowed, else decodeRow's loop (`interpret` forces it, for tests). */
export function decodeTable<T>(t: Table, spec: Spec<T>, strings: readonly string[], interpret = false): T[] {
  const sp = spec as Spec<unknown>;
  if (interpret) return interpreted(sp)(t, strings) as T[];
  let d = decoders.get(sp);
  if (!d) {
    d = generated(sp) ?? interpreted(sp);
    decoders.set(sp, d);
  }
  return d(t, strings) as T[];
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

/** Signal i's list fields and message, stored onto its decoded flat fields (in the schema's key order). */
function signalTail(c: SignalColumns, strings: readonly string[], i: number, row: Record<string, unknown>): void {
  let weights: { asset: string; weight: number }[] | null = null;
  if (c.weightNull[i] === 0) {
    weights = [];
    for (let w = c.weightStart[i]!; w < c.weightStart[i + 1]!; w++) weights.push({ asset: strings[c.weightAsset[w]!]!, weight: c.weightValue[w]! });
  }
  row.weights = weights;
  const ids: number[] = [];
  for (let o = c.orderStart[i]!; o < c.orderStart[i + 1]!; o++) ids.push(c.orderIds[o]!);
  row.orderIds = ids;
  const m = c.message[i]!;
  row.message = m === NULL ? null : strings[m]!;
}

function decodeSignals(c: SignalColumns, strings: readonly string[], interpret: boolean): SignalEvent[] {
  const out = decodeTable(c, SIGNAL, strings, interpret) as unknown as Record<string, unknown>[];
  for (let i = 0; i < c.length; i++) signalTail(c, strings, i, out[i]!);
  return out as unknown as SignalEvent[];
}

/** Signal i alone, the same object decodeResult's `signals[i]` is (for a view that shows a page of them). */
export function decodeSignalAt(c: ResultColumns, i: number): SignalEvent {
  const row: Record<string, unknown> = {};
  decodeRow(c.signals, SIGNAL as Spec<unknown>, c.strings, i, row);
  signalTail(c.signals, c.strings, i, row);
  return row as unknown as SignalEvent;
}

/** Trade row i alone, the same object decodeResult's `trades[i]` is. */
export function decodeTradeAt(c: ResultColumns, i: number): Trade {
  const row: Record<string, unknown> = {};
  decodeRow(c.trades, TRADE as Spec<unknown>, c.strings, i, row);
  return row as unknown as Trade;
}

/** Order row i alone, the same object decodeResult's `orders[i]` is. */
export function decodeOrderAt(c: ResultColumns, i: number): OrderRecord {
  const row: Record<string, unknown> = {};
  decodeRow(c.orders, ORDER as Spec<unknown>, c.strings, i, row);
  return row as unknown as OrderRecord;
}

/**
 * Columns of a result (traces are dropped: they come back through explain). A result the engine already
 * made as columns (RunOptions.columns: its trades, orders and signals are then empty) passes them through.
 */
export function encodeResult(r: RunResult): ColumnarResult {
  if (r.columns) {
    const { trades: _t, orders: _o, signals: _s, columns, ...rest } = r;
    return { ...rest, columns };
  }
  const strings = new Strings();
  const { trades, orders, signals, columns: _c, ...rest } = r;
  const columns: ResultColumns = {
    strings: strings.list,
    trades: encodeTable(trades, TRADE, strings),
    orders: encodeTable(orders, ORDER, strings),
    signals: encodeSignals(signals, strings),
  };
  return { ...rest, columns };
}

/** The columns a decoded result was made from (see decodeResult), for views that read rows one page at a time. */
const sources = new WeakMap<RunResult, ResultColumns>();

/** The columns behind a result decodeResult made, or undefined for any other result. */
export function columnsBehind(r: RunResult): ResultColumns | undefined {
  return sources.get(r);
}

/**
 * `key` of `target` as a property decoded on first read: it then becomes a plain data property holding the
 * decoded array. Enumerable, so spreading, JSON and structured cloning see (and decode) it like any other.
 */
function lazy<T>(target: object, key: string, decode: () => T): void {
  const settle = (value: T) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, key, {
    get() { const v = decode(); settle(v); return v; },
    set(v: T) { settle(v); },
    enumerable: true, configurable: true,
  });
}

/**
 * The RunResult back from its columns: signals carry no `trace` (ask explain for it). `interpret`: the
 * reference decoder (tests).
 *
 * Trades, orders and signals are decoded on first read: the results page reads them from the columns
 * (columnsBehind: trade-rows.ts for the trade table, its histogram, the chart markers and the run history;
 * result-rows.ts for the audit explorer, a page at a time), so W2's ~50k trades, ~105k orders and ~104k
 * signals (and 310k weight entries) are not made as objects unless something asks for the arrays, an export
 * for instance. W2's trades alone took 53–97 ms to decode on the page, between the worker's result and Run's.
 */
export function decodeResult(c: ColumnarResult, interpret = false): RunResult {
  const { columns, ...rest } = c;
  const s = columns.strings;
  const out = { ...rest } as RunResult;
  lazy(out, 'trades', () => decodeTable<Trade>(columns.trades, TRADE, s, interpret));
  lazy(out, 'orders', () => decodeTable<OrderRecord>(columns.orders, ORDER, s, interpret));
  lazy(out, 'signals', () => decodeSignals(columns.signals, s, interpret));
  sources.set(out, columns);
  return out;
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
