import { carved, grown, roomFor } from '../../lib/grow.ts';
import { ABSENT, NULL, S_ABSENT, S_NULL, type SignalColumns, type Strings, type Table } from '../../lib/result-table.ts';
import type { OrderRecord, OrderStatus, SignalEvent } from '../../schema/index.ts';
import type { AmountUnit, PlanStrategy } from '../../strategy/index.ts';

const UNITS: readonly AmountUnit[] = ['percentOfCash', 'percentOfEquity', 'cash', 'quantity', 'percentOfPosition', 'all'];
export const UNIT_CODE: Readonly<Record<AmountUnit, number>> = { percentOfCash: 0, percentOfEquity: 1, cash: 2, quantity: 3, percentOfPosition: 4, all: 5 };
const STATUSES: readonly OrderStatus[] = ['open', 'filled', 'rejected', 'cancelled'];
export const OPEN = 0, FILLED = 1, REJECTED = 2, CANCELLED = 3;

/**
 * The compiled walk's orders and signals as columns (issue 17 item 4): row r is the order with id r + 1.
 * Strategies, symbols and reasons are indices into string tables. OrderRecord and SignalEvent objects are
 * made only at the API edge (toRecords/toSignals), and only for a run that keeps its log.
 */
/** Rows the logs start with: a daily backtest's few hundred orders and signals fit without growing. */
const CAPACITY = 512;

export class OrdersLog {
  length = 0;
  strategy!: Int32Array;
  asset!: Int32Array;
  /** 0 delta, 1 target. */
  kind!: Uint8Array;
  /** +1 buy, −1 sell, as created (side below is the side it filled on). */
  sideIn!: Int8Array;
  unit!: Uint8Array;
  value!: Float64Array;
  weight!: Float64Array;
  createdTime!: Float64Array;
  status!: Uint8Array;
  /** 0 buy, 1 sell. */
  side!: Uint8Array;
  quantity!: Float64Array;
  filledQuantity!: Float64Array;
  fees!: Float64Array;
  /** NaN: null (never filled). */
  fillTime!: Float64Array;
  fillPrice!: Float64Array;
  /** Index into reasons, −1: null. */
  reason!: Int32Array;
  /** 1: a closeAtEnd order. */
  atEnd!: Uint8Array;
  readonly reasons: string[] = [];
  private readonly reasonIndex = new Map<string, number>();

  // Signals: time, strategy, the first order row it created and how many.
  signalCount = 0;
  signalTime!: Float64Array;
  signalStrategy!: Int32Array;
  signalFirst!: Int32Array;
  signalOrders!: Int32Array;
  /** A rebalance signal's target weights (asset index), by signal index: a few per run, kept as objects. */
  readonly signalWeights = new Map<number, readonly { asset: number; weight: number }[]>();

  constructor() {
    // A fresh log's 21 columns are one allocation (lib/grow.ts carved).
    this.use(carved(CAPACITY, KINDS));
  }

  private use(c: Columns): void {
    [
      this.value, this.weight, this.createdTime, this.quantity, this.filledQuantity, this.fees, this.fillTime, this.fillPrice,
      this.strategy, this.asset, this.reason, this.kind, this.sideIn, this.unit, this.status, this.side, this.atEnd,
      this.signalTime, this.signalStrategy, this.signalFirst, this.signalOrders,
    ] = c;
  }

  /**
   * Room for `rows` orders and as many signals (at most MAX_ROOM), given to an empty log before a walk
   * (walk.ts logRoom, from its events): a column at a time, as grow makes them, instead of a doubling per
   * power of two, each a fresh column and a copy. Only the pages rows are written to are touched, so room a
   * run does not use costs address space, not memory. A log with rows already, or room enough, is left as is.
   */
  reserve(rows: number): void {
    const r = roomFor(rows);
    if (this.length !== 0 || this.signalCount !== 0 || (r <= this.status.length && r <= this.signalTime.length)) return;
    this.use(KINDS.map((K) => new K(r)) as unknown as Columns);
  }

  /** Appends an order as created (open); returns its row. */
  add(strategy: number, asset: number, kind: 0 | 1, side: 1 | -1, unit: number, value: number, weight: number, time: number): number {
    if (this.length === this.status.length) this.grow();
    const r = this.length++;
    this.strategy[r] = strategy;
    this.asset[r] = asset;
    this.kind[r] = kind;
    this.sideIn[r] = side;
    this.unit[r] = unit;
    this.value[r] = value;
    this.weight[r] = weight;
    this.createdTime[r] = time;
    this.status[r] = OPEN;
    this.side[r] = side === 1 ? 0 : 1;
    this.quantity[r] = 0;
    this.filledQuantity[r] = 0;
    this.fees[r] = 0;
    this.fillTime[r] = NaN;
    this.fillPrice[r] = NaN;
    this.reason[r] = -1;
    this.atEnd[r] = 0;
    return r;
  }

  /** The index of a reason in the string table (a handful of distinct strings per run). */
  reasonOf(text: string | null): number {
    if (text === null) return -1;
    let i = this.reasonIndex.get(text);
    if (i === undefined) {
      i = this.reasons.length;
      this.reasons.push(text);
      this.reasonIndex.set(text, i);
    }
    return i;
  }

  signal(time: number, strategy: number, first: number, orders: number, weights: readonly { asset: number; weight: number }[] | null = null): void {
    if (this.signalCount === this.signalTime.length) this.growSignals();
    const i = this.signalCount++;
    if (weights !== null) this.signalWeights.set(i, weights);
    this.signalTime[i] = time;
    this.signalStrategy[i] = strategy;
    this.signalFirst[i] = first;
    this.signalOrders[i] = orders;
  }

  /** The orders as the results' records (keys in the order the kernel's records have them). */
  toRecords(strategyIds: readonly string[], symbols: readonly string[]): OrderRecord[] {
    const out: OrderRecord[] = new Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const rec: OrderRecord = {
        id: r + 1,
        strategyId: strategyIds[this.strategy[r]!]!,
        symbol: symbols[this.asset[r]!]!,
        side: this.side[r] === 0 ? 'buy' : 'sell',
        quantity: this.quantity[r]!,
        createdTime: this.createdTime[r]!,
        status: STATUSES[this.status[r]!]!,
        fillTime: Number.isNaN(this.fillTime[r]!) ? null : this.fillTime[r]!,
        fillPrice: Number.isNaN(this.fillTime[r]!) ? null : this.fillPrice[r]!,
        filledQuantity: this.filledQuantity[r]!,
        fees: this.fees[r]!,
        reason: this.reason[r]! < 0 ? null : this.reasons[this.reason[r]!]!,
      };
      if (this.atEnd[r]) rec.type = 'closeAtEnd';
      out[r] = rec;
    }
    return out;
  }

  /** The signals as the results' events (an audit-off run: the trace is the kernel's placeholder). */
  toSignals(strategies: readonly PlanStrategy[], symbols: readonly string[]): SignalEvent[] {
    const out: SignalEvent[] = new Array(this.signalCount);
    for (let i = 0; i < this.signalCount; i++) {
      const a = strategies[this.signalStrategy[i]!]!.action;
      const first = this.signalFirst[i]!;
      const orderIds: number[] = [];
      for (let k = 0; k < this.signalOrders[i]!; k++) orderIds.push(first + k + 1);
      out[i] = {
        time: this.signalTime[i]!,
        strategyId: strategies[this.signalStrategy[i]!]!.id,
        action: a.type,
        trace: { type: 'always', result: true },
        weights: a.type === 'setWeight' ? [{ asset: symbols[a.asset]!, weight: a.weight }]
          : a.type === 'rebalance' ? (this.signalWeights.get(i) ?? []).map((w) => ({ asset: symbols[w.asset]!, weight: w.weight })) : null,
        orderIds,
        message: a.type === 'alert' ? a.message : null,
      };
    }
    return out;
  }

  /**
   * The orders and signals as the results' column layout (src/lib/result-table.ts): the page decodes them
   * into the objects toRecords and toSignals make (signals without a trace, as every pool run), key for key.
   */
  toTables(strategies: readonly PlanStrategy[], symbols: readonly string[], strings: Strings): { orders: Table; signals: SignalColumns } {
    const n = this.length;
    const strategyIds = strategies.map((q) => strings.id(q.id)), symbolIds = symbols.map((x) => strings.id(x));
    const sideIds = [strings.id('buy'), strings.id('sell')], statusIds = STATUSES.map((x) => strings.id(x));
    const reasonIds = this.reasons.map((x) => strings.id(x)), closeAtEnd = strings.id('closeAtEnd');
    const id = new Float64Array(n), strategyId = new Int32Array(n), symbol = new Int32Array(n), side = new Int32Array(n);
    const status = new Int32Array(n), reason = new Int32Array(n), type = new Int32Array(n);
    const fillTime = new Float64Array(n), fillPrice = new Float64Array(n), filled = new Uint8Array(n), filledPrice = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      id[r] = r + 1;
      strategyId[r] = strategyIds[this.strategy[r]!]!;
      symbol[r] = symbolIds[this.asset[r]!]!;
      side[r] = sideIds[this.side[r]!]!;
      status[r] = statusIds[this.status[r]!]!;
      reason[r] = this.reason[r]! < 0 ? NULL : reasonIds[this.reason[r]!]!;
      type[r] = this.atEnd[r] ? closeAtEnd : ABSENT;
      // As toRecords: a fill price only with a fill time.
      if (Number.isNaN(this.fillTime[r]!)) filled[r] = filledPrice[r] = S_NULL;
      else {
        fillTime[r] = this.fillTime[r]!;
        fillPrice[r] = this.fillPrice[r]!;
      }
    }
    const absent = () => new Uint8Array(n).fill(S_ABSENT);
    const orders: Table = {
      length: n,
      num: {
        id, quantity: this.quantity.slice(0, n), createdTime: this.createdTime.slice(0, n), fillTime, fillPrice,
        filledQuantity: this.filledQuantity.slice(0, n), fees: this.fees.slice(0, n),
        stopPrice: new Float64Array(n), limitPrice: new Float64Array(n), parentId: new Float64Array(n),
      },
      state: { fillTime: filled, fillPrice: filledPrice, stopPrice: absent(), limitPrice: absent(), parentId: absent() },
      str: { strategyId, symbol, side, status, reason, type },
    };
    return { orders, signals: this.signalTable(strategies, symbols, strings) };
  }

  private signalTable(strategies: readonly PlanStrategy[], symbols: readonly string[], strings: Strings): SignalColumns {
    const m = this.signalCount;
    const strategyIds = strategies.map((q) => strings.id(q.id)), actionIds = strategies.map((q) => strings.id(q.action.type));
    const messageIds = strategies.map((q) => (q.action.type === 'alert' ? strings.id(q.action.message) : NULL));
    let weights = 0, orderCount = 0;
    for (let i = 0; i < m; i++) {
      const a = strategies[this.signalStrategy[i]!]!.action;
      weights += a.type === 'setWeight' ? 1 : a.type === 'rebalance' ? (this.signalWeights.get(i)?.length ?? 0) : 0;
      orderCount += this.signalOrders[i]!;
    }
    const c: SignalColumns = {
      length: m,
      num: { time: this.signalTime.slice(0, m) }, state: {}, str: { strategyId: new Int32Array(m), action: new Int32Array(m) },
      weightStart: new Int32Array(m + 1), weightNull: new Uint8Array(m), weightAsset: new Int32Array(weights), weightValue: new Float64Array(weights),
      orderStart: new Int32Array(m + 1), orderIds: new Float64Array(orderCount), message: new Int32Array(m),
    };
    const sid = c.str.strategyId!, act = c.str.action!;
    let w = 0, o = 0;
    for (let i = 0; i < m; i++) {
      const q = this.signalStrategy[i]!, a = strategies[q]!.action;
      sid[i] = strategyIds[q]!;
      act[i] = actionIds[q]!;
      c.message[i] = messageIds[q]!;
      c.weightStart[i] = w;
      if (a.type === 'setWeight') {
        c.weightAsset[w] = strings.id(symbols[a.asset]!);
        c.weightValue[w++] = a.weight;
      } else if (a.type === 'rebalance') {
        for (const x of this.signalWeights.get(i) ?? []) {
          c.weightAsset[w] = strings.id(symbols[x.asset]!);
          c.weightValue[w++] = x.weight;
        }
      } else c.weightNull[i] = 1;
      c.orderStart[i] = o;
      const first = this.signalFirst[i]!;
      for (let k = 0; k < this.signalOrders[i]!; k++) c.orderIds[o++] = first + k + 1;
    }
    c.weightStart[m] = w;
    c.orderStart[m] = o;
    return c;
  }

  /** Writes every page of the columns once (primeOrdersLog): a run writing them later faults none. */
  touch(): void {
    for (const c of this.columns()) c.fill(0);
  }

  /** Empties the log for another run; the columns keep their capacity and stale rows (add and signal write every field). */
  reset(): void {
    this.length = 0;
    this.signalCount = 0;
    this.signalWeights.clear();
    this.reasons.length = 0;
    this.reasonIndex.clear();
  }

  unitOf(r: number): AmountUnit {
    return UNITS[this.unit[r]!]!;
  }

  /**
   * Each column grows on its own (grown): on W2's first run in Node, one buffer for all of them at each
   * doubling (up to 13 MB, a fresh mapping every time) took ~17 ms more than the allocator reusing the
   * memory the columns of the doubling before gave back.
   */
  private grow(): void {
    const c = this.status.length * 2;
    this.use(this.columns().map((col, k) => (k < ORDER_COLUMNS ? grown(col, c) : col)) as Columns);
  }

  private growSignals(): void {
    const c = this.signalTime.length * 2;
    this.use(this.columns().map((col, k) => (k < ORDER_COLUMNS ? col : grown(col, c))) as Columns);
  }

  /** The columns in KINDS' order (use's): the orders' ORDER_COLUMNS, then the signals'. */
  private columns(): Columns {
    return [
      this.value, this.weight, this.createdTime, this.quantity, this.filledQuantity, this.fees, this.fillTime, this.fillPrice,
      this.strategy, this.asset, this.reason, this.kind, this.sideIn, this.unit, this.status, this.side, this.atEnd,
      this.signalTime, this.signalStrategy, this.signalFirst, this.signalOrders,
    ];
  }
}

/** The columns' kinds in the constructor's order: orders, then signals. */
const KINDS = [
  Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
  Int32Array, Int32Array, Int32Array, Uint8Array, Int8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array,
  Float64Array, Int32Array, Int32Array, Int32Array,
] as const;
type Columns = ReturnType<typeof carved<typeof KINDS>>;
/** How many of KINDS are the orders' columns (the rest are the signals'). */
const ORDER_COLUMNS = 17;

/**
 * One log kept for the next run on this thread (runs on a thread are sequential; a run started while another
 * holds it, from a progress callback, makes its own). Only a log no result references comes back here: a full
 * run's result keeps its log until its orders and signals are first read (CompiledWalk.records, result.ts
 * lazyProperty), and toRecords and toSignals copy out of it. A fresh log is 21 typed arrays (~50 KB, one buffer); in
 * Chromium a fresh ArrayBuffer of a few KB costs tens of µs (new pages touched), which was ~0.4 ms of a 1.6 ms
 * W1 candidate on the page thread.
 */
let spare: OrdersLog | null = null;

export function acquireOrdersLog(): OrdersLog {
  const log = spare ?? new OrdersLog();
  spare = null;
  log.reset();
  return log;
}

/** Hands a finished run's log back (after its records were made; the log must not be read again). */
export function releaseOrdersLog(log: OrdersLog): void {
  spare = log;
}

/** Leaves this thread's spare log with room for `rows` orders and signals, each page already written (engine prime.ts). */
export function primeOrdersLog(rows: number): void {
  const log = acquireOrdersLog();
  log.reserve(rows);
  log.touch();
  releaseOrdersLog(log);
}
