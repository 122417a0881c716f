import { carved, grown, roomFor } from '../lib/grow.ts';
import { ABSENT, S_ABSENT, type Strings, type Table } from '../lib/result-table.ts';
import type { ExitReason, Side, Trade } from '../schema/index.ts';

/** What statistics read of the trades: four numeric columns (stats.ts tradePass). */
export interface TradeColumnsView {
  readonly length: number;
  readonly pnl: ArrayLike<number>;
  readonly returnPct: ArrayLike<number>;
  readonly entryTime: ArrayLike<number>;
  readonly exitTime: ArrayLike<number>;
}

const EXIT_REASONS: readonly (Exclude<ExitReason, 'signal'> | null)[] = [null, 'stop', 'target', 'trail', 'time', 'end'];
const SIDES: readonly Side[] = ['long', 'short'];

/** The columns of a trade row. */
const TRADE_FIELDS = ['asset', 'side', 'quantity', 'entryTime', 'exitTime', 'entryPrice', 'exitPrice', 'pnl', 'returnPct', 'fees', 'dividends', 'strategy', 'exitReason'] as const;
type TradeField = (typeof TRADE_FIELDS)[number];

/** A trade log's rows as arrays: its own typed columns, or a detached run's plain copies. */
type TradeRows = Readonly<Record<TradeField, ArrayLike<number>>> & { readonly symbols: readonly string[]; readonly strategies: readonly string[] };

/** Row i as the results' trade object (keys in the order the schema and the golden files have them). */
function tradeAt(t: TradeRows, i: number): Trade {
  const trade: Trade = {
    symbol: t.symbols[t.asset[i]!]!,
    side: SIDES[t.side[i]!]!,
    quantity: t.quantity[i]!,
    entryTime: t.entryTime[i]!,
    exitTime: t.exitTime[i]!,
    entryPrice: t.entryPrice[i]!,
    exitPrice: t.exitPrice[i]!,
    pnl: t.pnl[i]!,
    returnPct: t.returnPct[i]!,
    fees: t.fees[i]!,
    strategyId: t.strategies[t.strategy[i]!]!,
  };
  const reason = EXIT_REASONS[t.exitReason[i]!]!;
  if (reason !== null) trade.exitReason = reason;
  if (t.dividends[i] !== 0) trade.dividends = t.dividends[i]!;
  return trade;
}

/** A finished run's trades, copied out of a log that goes back to the pool (TradeLog.detached). */
export interface DetachedTrades {
  toObjects(): Trade[];
}

/**
 * Rows a log starts with: a daily backtest's ~100–300 round trips fit without growing (each doubling copies
 * every column; growing from 16 was ~0.07 ms of a 0.58 ms W1 run in the lead's 04:04 profile).
 */
const CAPACITY = 256;

/** The columns' kinds, in the order TradeLog.columns lists them (one buffer: lib/grow.ts carved). */
const KINDS = [
  Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
  Int32Array, Int32Array, Uint8Array, Uint8Array,
] as const;
type Columns = ReturnType<typeof carved<typeof KINDS>>;

/**
 * One log's columns kept for the next log on this thread (see release): in Chromium a fresh ArrayBuffer of a
 * few KB costs tens of µs (new pages touched), and a fresh log was 13 of them, ~0.14 ms of a W1 candidate
 * (now one buffer: carved).
 */
let spare: Columns | null = null;

/**
 * The round trips of a run as columns (issue 17 item 4): a fill appends numbers, never an object. Symbols
 * and strategy ids are indices into small string tables. Trade objects exist only where a caller asks for
 * them (toObjects, incrementally: what was materialised once is kept), so a sweep of 20k-trade runs that
 * reads only statistics allocates no trade.
 */
export class TradeLog implements TradeColumnsView, TradeRows {
  length = 0;
  asset!: Int32Array;
  /** 0 long, 1 short. */
  side!: Uint8Array;
  quantity!: Float64Array;
  entryTime!: Float64Array;
  exitTime!: Float64Array;
  entryPrice!: Float64Array;
  exitPrice!: Float64Array;
  pnl!: Float64Array;
  returnPct!: Float64Array;
  fees!: Float64Array;
  dividends!: Float64Array;
  strategy!: Int32Array;
  /** Index into EXIT_REASONS (0: closed by a strategy's order, no exitReason field). */
  exitReason!: Uint8Array;
  readonly strategies: string[] = [];
  private readonly strategyIndex = new Map<string, number>();
  private readonly objects: Trade[] = [];
  private released = false;

  constructor(readonly symbols: readonly string[]) {
    // A reused log's stale rows are never read: push writes every column of a row, readers stop at length.
    this.use(spare ?? carved(CAPACITY, KINDS));
    spare = null;
  }

  /**
   * Room for `rows` trades (at most MAX_ROOM), given to an empty log before a walk, a column at a time as
   * OrdersLog.reserve: no doubling up to it. Untouched room costs address space, not memory.
   */
  reserve(rows: number): void {
    const r = roomFor(rows);
    if (this.length === 0 && r > this.pnl.length) this.use(KINDS.map((K) => new K(r)) as unknown as Columns);
  }

  /** Writes every page of the columns once (primeTradeLog): a run writing them later faults none. */
  touch(): void {
    for (const c of this.columns()) c.fill(0);
  }

  /** The columns in KINDS' order. */
  private columns(): Columns {
    return [
      this.quantity, this.entryTime, this.exitTime, this.entryPrice, this.exitPrice, this.pnl, this.returnPct, this.fees, this.dividends,
      this.asset, this.strategy, this.side, this.exitReason,
    ];
  }

  private use(c: Columns): void {
    [
      this.quantity, this.entryTime, this.exitTime, this.entryPrice, this.exitPrice, this.pnl, this.returnPct, this.fees, this.dividends,
      this.asset, this.strategy, this.side, this.exitReason,
    ] = c;
  }

  push(
    asset: number, long: boolean, quantity: number, entryTime: number, exitTime: number, entryPrice: number, exitPrice: number,
    pnl: number, returnPct: number, fees: number, strategyId: string, exitReason: ExitReason | null, dividends: number,
  ): void {
    if (this.length === this.pnl.length) this.grow();
    const i = this.length++;
    this.asset[i] = asset;
    this.side[i] = long ? 0 : 1;
    this.quantity[i] = quantity;
    this.entryTime[i] = entryTime;
    this.exitTime[i] = exitTime;
    this.entryPrice[i] = entryPrice;
    this.exitPrice[i] = exitPrice;
    this.pnl[i] = pnl;
    this.returnPct[i] = returnPct;
    this.fees[i] = fees;
    this.dividends[i] = dividends;
    let s = this.strategyIndex.get(strategyId);
    if (s === undefined) {
      s = this.strategies.length;
      this.strategies.push(strategyId);
      this.strategyIndex.set(strategyId, s);
    }
    this.strategy[i] = s;
    this.exitReason[i] = exitReason === null || exitReason === 'signal' ? 0 : EXIT_REASONS.indexOf(exitReason);
  }

  /** The trades as the results' objects (keys in the order the schema and the golden files have them). */
  toObjects(): Trade[] {
    if (this.released) throw new Error('TradeLog read after release');
    const out = this.objects;
    for (let i = out.length; i < this.length; i++) out.push(tradeAt(this, i));
    return out.length === this.length ? out : out.slice(0, this.length);
  }

  /**
   * The trades as the results' column layout (src/lib/result-table.ts; the page decodes them into the objects
   * toObjects makes, key for key): numeric columns copied, strings through the result's table.
   */
  toTable(strings: Strings): Table {
    if (this.released) throw new Error('TradeLog read after release');
    const n = this.length;
    const str = (ids: readonly number[], col: ArrayLike<number>) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = ids[col[i]!]!;
      return out;
    };
    const symbolIds = this.symbols.map((x) => strings.id(x)), sideIds = SIDES.map((x) => strings.id(x));
    const strategyIds = this.strategies.map((x) => strings.id(x));
    const reasonIds = EXIT_REASONS.map((x) => (x === null ? ABSENT : strings.id(x)));
    const dividends = new Float64Array(n), dividendState = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (this.dividends[i] !== 0) dividends[i] = this.dividends[i]!;
      else dividendState[i] = S_ABSENT;
    }
    const f = (col: Float64Array) => col.slice(0, n);
    return {
      length: n,
      num: {
        quantity: f(this.quantity), entryTime: f(this.entryTime), exitTime: f(this.exitTime), entryPrice: f(this.entryPrice),
        exitPrice: f(this.exitPrice), pnl: f(this.pnl), returnPct: f(this.returnPct), fees: f(this.fees), dividends,
      },
      state: { dividends: dividendState },
      str: {
        symbol: str(symbolIds, this.asset), side: str(sideIds, this.side), strategyId: str(strategyIds, this.strategy),
        exitReason: str(reasonIds, this.exitReason),
      },
    };
  }

  /**
   * The rows so far, copied into plain arrays (V8's heap: no fresh ArrayBuffer), for a result that makes its
   * trade objects later (record 'stats') from a log that is released now.
   */
  detached(): DetachedTrades {
    const n = this.length;
    const rows = { symbols: this.symbols, strategies: [...this.strategies] } as Record<string, unknown>;
    for (const f of TRADE_FIELDS) rows[f] = plain(this[f], n);
    return { toObjects: () => Array.from({ length: n }, (_, i) => tradeAt(rows as unknown as TradeRows, i)) };
  }

  /**
   * Hands the columns to the next log made on this thread. Only for a log nothing reads again: its run's
   * result holds trade objects or a detached copy, and its portfolio is dropped. Reading it after this throws
   * (toObjects) or reads nothing (length 0).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.length = 0;
    spare = this.columns();
  }

  private grow(): void {
    // Column by column, as OrdersLog.grow (one buffer per doubling was slower on W2's first run).
    const c = this.pnl.length * 2;
    this.use(this.columns().map((col) => grown(col, c)) as Columns);
  }
}

/** The first n values of a column as a plain array (V8's heap: no fresh ArrayBuffer). */
function plain(a: Float64Array | Int32Array | Uint8Array, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  return out;
}

/** Leaves this thread's spare trade columns with room for `rows` trades, each page already written (engine prime.ts). */
export function primeTradeLog(rows: number): void {
  const log = new TradeLog([]);
  log.reserve(rows);
  log.touch();
  log.release();
}

/** Statistics' view of trades given as objects (a stitched walk-forward, hand-made test trades). */
export function tradeColumns(trades: readonly Trade[]): TradeColumnsView {
  return {
    length: trades.length,
    pnl: Float64Array.from(trades, (t) => t.pnl),
    returnPct: Float64Array.from(trades, (t) => t.returnPct),
    entryTime: Float64Array.from(trades, (t) => t.entryTime),
    exitTime: Float64Array.from(trades, (t) => t.exitTime),
  };
}
