import type { AmountUnit, CompiledEntry, CompiledExits, CompiledLevel } from '../strategy/index.ts';
import type { ExitReason, OrderRecord, TimeInForce } from '../schema/index.ts';
import { levelPrice, type LevelMode } from './triggers.ts';

/**
 * An order is an intent sized when it fills, at the fill price (an all-in buy from bar t is sized with
 * bar t+1's open under nextOpen). `delta` orders buy or sell an amount; `target` orders move the position
 * to a weight of equity. The record is what the results show.
 */
export interface Order {
  readonly asset: number;
  readonly kind: 'delta' | 'target';
  /** delta: +1 buy, −1 sell. */
  readonly side: 1 | -1;
  readonly unit: AmountUnit;
  readonly value: number;
  /** target: weight of equity, −1 … 1. */
  readonly weight: number;
  readonly record: OrderRecord;
  /** How it rests until it fills; null = a market order. */
  readonly entry: RestingEntry | null;
  /** Exits to arm on the position once this order fills; null = none. */
  readonly exits: OrderExits | null;
  /** Set on the venue's exit orders: why the trade closes. */
  readonly exitReason: ExitReason | null;
  /** Its quantity was fixed at the signal (sizing.ts): the record keeps it when nothing can be done at the fill. */
  readonly fixedAtSignal?: true;
}

/** A limit, stop or stop-limit entry with prices fixed at the signal, and its state while it rests. */
export interface RestingEntry {
  readonly type: 'limit' | 'stop' | 'stopLimit';
  /** Absolute prices; NaN where the type has none. */
  readonly stop: number;
  readonly limit: number;
  readonly timeInForce: TimeInForce;
  /** gtc: cancelled after this many bars of its asset (0 = never). */
  readonly expireAfterBars: number;
  /** Stop-limit: its stop has traded, it is now a limit order. */
  triggered: boolean;
  /** Bars of its asset it has rested through; the exchange day of its first bar (timeInForce day). */
  bars: number;
  day: number;
}

/** A level resolved at the signal (ATR and expressions evaluated), applied to the entry fill price later. */
export interface ResolvedLevel {
  readonly mode: LevelMode;
  readonly value: number;
}

/** Exits attached to the position an order opens (docs/ENGINE.md, "Orders beyond market"). */
export interface OrderExits {
  readonly stopLoss: ResolvedLevel | null;
  readonly takeProfit: ResolvedLevel | null;
  readonly trail: { readonly mode: 'percent' | 'distance'; readonly value: number; readonly byClose: boolean } | null;
  /** After this many bars of the asset (0 = none), or this much time (0 = none). */
  readonly timeBars: number;
  readonly timeMs: number;
  /** At the close of the last bar of the asset's exchange session. */
  readonly sessionClose: boolean;
}

export function newRecord(id: number, strategyId: string, symbol: string, side: 'buy' | 'sell', time: number): OrderRecord {
  return {
    id,
    strategyId,
    symbol,
    side,
    quantity: 0,
    createdTime: time,
    status: 'open',
    fillTime: null,
    fillPrice: null,
    filledQuantity: 0,
    fees: 0,
    reason: null,
  };
}

export function reject(record: OrderRecord, reason: string): void {
  record.status = 'rejected';
  record.reason = reason;
}

const ENTRY_NAME = { limit: 'limit price', stop: 'stop price', stopLimit: 'stop price' } as const;

/**
 * Fixes an order's entry prices and exit levels at the signal: entry prices from the signal close `ref`
 * (a buy limit below, a buy stop above; sells mirrored; a stop-limit's limit beyond its stop), exit levels
 * as offsets to apply to the fill price later, ATR and expressions read now. A level that is not a
 * positive finite number (an indicator not ready, an expression ≤ 0) makes the order a rejection with
 * the reason: an order never goes out without the protection it asked for.
 */
export function resolveOrder(
  entry: CompiledEntry | null, exits: CompiledExits | null, side: 1 | -1, ref: number, v: Float64Array,
): { entry: RestingEntry | null; exits: OrderExits | null; error: string | null } {
  let error: string | null = null;
  const level = (l: CompiledLevel | null, what: string): ResolvedLevel | null => {
    if (l === null) return null;
    const value = l.value(v);
    if (!(value > 0) || !Number.isFinite(value)) error ??= `${what} is not a positive number at the signal (${value})`;
    return { mode: l.mode, value };
  };
  let resting: RestingEntry | null = null;
  if (entry !== null) {
    const p = level(entry.price, `entry ${ENTRY_NAME[entry.type]}`)!;
    // A buy limit and a sell stop lie below the signal close; a buy stop and a sell limit above it.
    const dir = (entry.type === 'limit' ? -side : side) as 1 | -1;
    const price = levelPrice(p.mode, p.value, ref, dir);
    let limit = NaN;
    if (entry.limit !== null) {
      const l = level(entry.limit, 'entry limit price')!;
      limit = levelPrice(l.mode, l.value, price, side);
    }
    if (!(price > 0) && error === null) error = `entry ${ENTRY_NAME[entry.type]} is not positive (${price})`;
    resting = {
      type: entry.type,
      stop: entry.type === 'limit' ? NaN : price,
      limit: entry.type === 'limit' ? price : limit,
      timeInForce: entry.timeInForce,
      expireAfterBars: entry.expireAfterBars,
      triggered: false,
      bars: 0,
      day: NaN,
    };
  }
  let out: OrderExits | null = null;
  if (exits !== null) {
    const trail = exits.trail ? level(exits.trail.level, 'trailing stop') : null;
    out = {
      stopLoss: level(exits.stopLoss, 'stop-loss'),
      takeProfit: level(exits.takeProfit, 'take-profit'),
      trail: trail && exits.trail ? { mode: trail.mode === 'percent' ? 'percent' : 'distance', value: trail.value, byClose: exits.trail.byClose } : null,
      timeBars: exits.timeBars,
      timeMs: exits.timeMs,
      sessionClose: exits.sessionClose,
    };
  }
  return { entry: resting, exits: out, error };
}
