import type { Settings } from '../schema/index.ts';
import { SimulatedFills } from './execution.ts';
import { reject, type Order } from './orders.ts';
import { Portfolio } from './portfolio.ts';

/**
 * Sizing at the signal: a live order's quantity is fixed before its fill price is known, so the live
 * processor (always) and the backtest (with `sizing: 'signal'`) turn an order into a fixed signed quantity
 * at the signal bar's close, with the fill model's slippage and fees. The quantity is what the simulated
 * fill would do at that price: a dry run of SimulatedFills on a copy of the books, so both sizing rules share
 * one definition of "all", "target weight", clipping and whole units. Orders of one step are sized in
 * submission order against the books as the earlier ones would leave them (a rebalance's sales fund its
 * purchases, as they do when filled).
 */
export class SignalSizer {
  private scratch: Portfolio | null = null;
  private fills: SimulatedFills | null = null;
  private time = NaN;

  constructor(private readonly settings: Settings) {}

  /**
   * The order as a fixed quantity (unit 'quantity', the side of the net move), or null when nothing would
   * trade: then the record is rejected with the reason the fill would have given.
   */
  fix(order: Order, books: Portfolio, price: number, time: number): Order | null {
    if (!(price > 0)) {
      reject(order.record, `no price for ${order.record.symbol} to size the order`);
      return null;
    }
    if (time !== this.time || this.scratch === null) this.copy(books, time);
    const dry = { ...order, record: { ...order.record } };
    this.fills!.execute(dry, price, time);
    // Every leg of one fill goes the same way (a reversal sells the long, then sells short): the quantity is the
    // filled total, taken as is (a difference of positions would round).
    const qty = dry.record.filledQuantity;
    if (qty === 0) {
      reject(order.record, dry.record.reason ?? 'nothing to trade');
      return null;
    }
    const side = dry.record.side;
    order.record.quantity = qty;
    order.record.side = side;
    order.record.reason = dry.record.reason;
    return { ...order, kind: 'delta', side: side === 'buy' ? 1 : -1, unit: 'quantity', value: qty, weight: 0, fixedAtSignal: true };
  }

  private copy(books: Portfolio, time: number): void {
    const s = new Portfolio(books.symbols, 0);
    for (let a = 0; a < books.qty.length; a++) {
      if (books.qty[a] !== 0) s.fill(a, books.qty[a]!, books.avgPrice[a]!, 0, books.openTime[a]!, books.openStrategy[a]!);
      s.mark[a] = books.mark[a]!;
    }
    s.cash = books.cash;
    this.scratch = s;
    this.fills = new SimulatedFills(s, this.settings);
    this.time = time;
  }
}
