import { levelPrice, trailLevel } from '../engine/triggers.ts';
import type { Order } from '../engine/index.ts';
import type { BrokerCapabilities, OrderSpec, RelativeExits } from './broker.ts';

/** A market order with no extras; fields filled in by the helpers below. */
export function marketSpec(): OrderSpec {
  return { type: 'market', limitPrice: null, stopPrice: null, trailPercent: null, trailPrice: null, ocoStopPrice: null, timeInForce: 'day', expireAfterBars: 0, exits: null };
}

/**
 * The spec of a kernel order as the broker will get it (null: a plain market order). A time in force the
 * broker cannot count ("bar", expiry after N bars) goes as "day" / "gtc" and the processor cancels it
 * (`barsLeft`); exits go with the entry only where the broker keeps relative exits, else after the fill.
 */
export function specOf(order: Order, caps: BrokerCapabilities): { spec: OrderSpec | null; barsLeft: number; expiry: string | null } {
  const e = order.entry;
  if (e === null && (order.exits === null || !caps.relativeExits)) return { spec: null, barsLeft: Infinity, expiry: null };
  const spec = marketSpec();
  let barsLeft = Infinity;
  let expiry: string | null = null;
  if (e !== null) {
    spec.type = e.type;
    spec.limitPrice = Number.isNaN(e.limit) ? null : e.limit;
    spec.stopPrice = Number.isNaN(e.stop) ? null : e.stop;
    if (caps.barExpiry) {
      spec.timeInForce = e.timeInForce;
      spec.expireAfterBars = e.expireAfterBars;
    } else {
      spec.timeInForce = e.timeInForce === 'gtc' ? 'gtc' : 'day';
      // The backtest's words (venue.ts), so a live order log reads like a backtest's.
      if (e.timeInForce === 'bar') [barsLeft, expiry] = [1, 'expired unfilled after one bar (time in force: bar)'];
      else if (e.timeInForce === 'gtc' && e.expireAfterBars > 0) [barsLeft, expiry] = [e.expireAfterBars, `expired unfilled after ${e.expireAfterBars} bars`];
    }
  }
  if (caps.relativeExits && order.exits !== null) spec.exits = relativeExits(order);
  return { spec, barsLeft, expiry };
}

export function relativeExits(order: Order): RelativeExits | null {
  const x = order.exits;
  if (x === null) return null;
  return {
    stopLoss: x.stopLoss ? { mode: x.stopLoss.mode, value: x.stopLoss.value } : null,
    takeProfit: x.takeProfit ? { mode: x.takeProfit.mode, value: x.takeProfit.value } : null,
    trail: x.trail ? { mode: x.trail.mode, value: x.trail.value, byClose: x.trail.byClose } : null,
    timeBars: x.timeBars,
    timeMs: x.timeMs,
    sessionClose: x.sessionClose,
  };
}

/**
 * Why a broker cannot take this order at all, or null. `calendar`: the processor has the broker's session
 * calendar (a time exit at the session close needs it, unless the broker keeps relative exits itself).
 */
export function unsupported(order: Order, caps: BrokerCapabilities, broker: string, crosses: boolean, allowsReversal: boolean, calendar = false): string | null {
  const e = order.entry;
  if (e !== null && !caps.entries.has(e.type)) return `${e.type} entries are not available at ${broker}`;
  // The backtest knows a session's last bar from the stored bar times; a live run needs the exchange calendar.
  if (order.exits?.sessionClose && !calendar && !caps.relativeExits) return `a time exit at the session close needs the exchange's session calendar, which ${broker} does not give`;
  if ((e !== null || order.exits !== null) && crosses && !allowsReversal) {
    return `${broker} takes a reversal as two orders: a ${e !== null ? `${e.type} entry` : 'market order with exits'} that reverses a position is not sent`;
  }
  return null;
}

/** Absolute levels of a position's exits from its entry price (as the backtest arms them, venue.ts). */
export function exitLevels(x: RelativeExits, side: 1 | -1, price: number): { stop: number; target: number; trail: number } {
  return {
    stop: x.stopLoss ? levelPrice(x.stopLoss.mode, x.stopLoss.value, price, side === 1 ? -1 : 1) : NaN,
    target: x.takeProfit ? levelPrice(x.takeProfit.mode, x.takeProfit.value, price, side) : NaN,
    trail: x.trail ? trailLevel(side, price, x.trail.mode, x.trail.value) : NaN,
  };
}

/**
 * The one broker order that holds all of a position's exits, when there is one: a stop, a take-profit limit,
 * both as one-cancels-other, or a trailing stop by high/low (what a broker's own trailing stop follows).
 * Time exits, a trail by close, and a trail with other levels are simulated on completed bars (null).
 */
export function nativeExit(x: RelativeExits, levels: { stop: number; target: number }, caps: BrokerCapabilities): OrderSpec | null {
  // A session close goes as its own market-on-close order (closeOrder), which holds the shares: the rest is simulated.
  if (x.timeBars > 0 || x.timeMs > 0 || x.sessionClose) return null;
  const s = marketSpec();
  s.timeInForce = 'gtc';
  const hasStop = x.stopLoss !== null, hasTarget = x.takeProfit !== null;
  if (x.trail !== null) {
    if (hasStop || hasTarget || x.trail.byClose || !caps.exitOrders.has('trailingStop')) return null;
    s.type = 'trailingStop';
    if (x.trail.mode === 'percent') s.trailPercent = x.trail.value;
    else s.trailPrice = x.trail.value;
    return s;
  }
  if (hasStop && hasTarget) {
    if (!caps.exitOrders.has('oco')) return null;
    s.type = 'limit';
    s.limitPrice = levels.target;
    s.ocoStopPrice = levels.stop;
    return s;
  }
  if (hasStop && caps.exitOrders.has('stop')) {
    s.type = 'stop';
    s.stopPrice = levels.stop;
    return s;
  }
  if (hasTarget && caps.exitOrders.has('limit')) {
    s.type = 'limit';
    s.limitPrice = levels.target;
    return s;
  }
  return null;
}

/** A market-on-close order for a position's session-close exit, where the broker takes one (else null: simulated). */
export function closeOrder(x: RelativeExits, caps: BrokerCapabilities): OrderSpec | null {
  if (!x.sessionClose || !caps.exitOrders.has('close')) return null;
  const s = marketSpec();
  s.timeInForce = 'close';
  return s;
}
