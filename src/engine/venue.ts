import type { Order } from './orders.ts';

/** What the kernel exposes to a venue: the current step's bars and the portfolio's fill path. */
export interface StepView {
  readonly time: number;
  /** 1 where the asset has a bar at this step. */
  readonly hasBar: Uint8Array;
  readonly open: Float64Array;
  readonly close: Float64Array;
  execute(order: Order, price: number): void;
}

/**
 * Where orders go (DESIGN.md event loop steps 1 and 5). The backtest and replay processors use the
 * simulated venue; the live processor hands orders to a broker and answers with fills later.
 */
export interface Venue {
  /** Step 1: fill what is due at this bar (next-open fills). */
  fillDue(view: StepView): void;
  /** Step 5: take a new order from a strategy. */
  submit(order: Order, view: StepView): void;
  /** True while an order for the asset is open (no new order for an asset while one is open). */
  hasOpenOrder(asset: number): boolean;
  /** End of data: orders still open are cancelled with a reason. */
  finish(): void;
}

/**
 * nextOpen: an order from bar t fills at the open of its asset's next bar.
 * close: an order fills at this bar's close when its asset has a bar now; otherwise at the asset's next
 * bar's close (never at a stale price).
 */
export class SimulatedVenue implements Venue {
  private pending: Order[] = [];
  private readonly openCount: Int32Array;

  constructor(private readonly model: 'nextOpen' | 'close', assets: number) {
    this.openCount = new Int32Array(assets);
  }

  fillDue(view: StepView): void {
    if (this.pending.length === 0) return;
    const keep: Order[] = [];
    for (const o of this.pending) {
      if (view.hasBar[o.asset]) {
        view.execute(o, this.model === 'nextOpen' ? view.open[o.asset]! : view.close[o.asset]!);
        this.openCount[o.asset]!--;
      } else {
        keep.push(o);
      }
    }
    this.pending = keep;
  }

  submit(order: Order, view: StepView): void {
    if (this.model === 'close' && view.hasBar[order.asset]) {
      view.execute(order, view.close[order.asset]!);
      return;
    }
    this.pending.push(order);
    this.openCount[order.asset]!++;
  }

  hasOpenOrder(asset: number): boolean {
    return this.openCount[asset]! > 0;
  }

  finish(): void {
    for (const o of this.pending) {
      o.record.status = 'cancelled';
      o.record.reason = 'no bar for its asset before the end of the data';
    }
    this.pending = [];
  }
}
