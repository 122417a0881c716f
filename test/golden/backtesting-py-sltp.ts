/**
 * An independent transcription of backtesting.py's order processing (backtesting/backtesting.py,
 * _Broker._process_orders, kernc/backtesting.py at 9c2b8e1) for one strategy: on an SMA(fast)/SMA(slow)
 * crossover while flat, `self.buy(sl=close × slFactor, tp=close × tpFactor)` with the default size (all
 * equity) and a relative commission. backtesting.py is not installed here (no PyPI), so this is how the
 * comparison test gets its numbers; every rule below cites the line of its source it follows.
 */
export interface BtTrade {
  entryBar: number;
  exitBar: number;
  size: number;
  entryPrice: number;
  exitPrice: number;
  pl: number;
  exit: 'sl' | 'tp';
  sl: number;
  tp: number;
}

export interface BtBars {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  length: number;
}

function sma(close: ArrayLike<number>, n: number, i: number): number {
  if (i < n - 1) return NaN;
  let s = 0;
  for (let k = i - n + 1; k <= i; k++) s += close[k]!;
  return s / n;
}

export function backtestingPySlTp(b: BtBars, o: { fast: number; slow: number; cash: number; commission: number; slFactor: number; tpFactor: number }): { trades: BtTrade[]; cash: number; open: boolean } {
  let cash = o.cash;
  const trades: BtTrade[] = [];
  // One pending entry order (placed at a close, filled at the next open) and at most one open trade.
  let entry: { sl: number; tp: number } | null = null;
  let trade: { size: number; price: number; bar: number; sl: number; tp: number; openCommission: number } | null = null;
  const close = (i: number, price: number, exit: 'sl' | 'tp') => {
    const t = trade!;
    // _close_trade: commission on exit; pl = size × (exit − entry) − commissions; cash += pl (open commission was paid already).
    const exitCommission = o.commission * t.size * price;
    const pl = t.size * (price - t.price) - (exitCommission + t.openCommission);
    cash += t.size * (price - t.price) - exitCommission;
    trades.push({ entryBar: t.bar, exitBar: i, size: t.size, entryPrice: t.price, exitPrice: price, pl, exit, sl: t.sl, tp: t.tp });
    trade = null;
  };
  // Contingent orders: new_order inserts the SL (a stop) at the front and the TP (a limit) at the end, so
  // the SL is processed first: the pessimistic rule. SL is a sell stop: hit when low ≤ sl, filled at
  // min(open, sl). TP is a sell limit: hit when high ≥ tp, filled at max(open, tp).
  const contingent = (i: number) => {
    const t = trade!;
    if (b.low[i]! <= t.sl) close(i, Math.min(b.open[i]!, t.sl), 'sl');
    else if (b.high[i]! >= t.tp) close(i, Math.max(b.open[i]!, t.tp), 'tp');
  };
  for (let i = 0; i < b.length; i++) {
    // broker.next(): orders first. A trade's SL/TP from earlier bars.
    if (trade) contingent(i);
    else if (entry) {
      // Market order at this open; size = int(margin_available // (price × (1 + commission))).
      const price = b.open[i]!;
      const size = Math.floor(cash / (price + o.commission * price));
      if (size >= 1) {
        const openCommission = o.commission * size * price;
        cash -= openCommission;
        trade = { size, price, bar: i, sl: entry.sl, tp: entry.tp, openCommission };
        // "We need to reprocess the SL/TP orders newly added to the queue" (market entries): same bar.
        contingent(i);
      }
      entry = null;
    }
    // strategy.next() at this close: crossover(a, b) = a[-2] < b[-2] and a[-1] > b[-1].
    const f0 = sma(b.close, o.fast, i - 1), s0 = sma(b.close, o.slow, i - 1);
    const f1 = sma(b.close, o.fast, i), s1 = sma(b.close, o.slow, i);
    if (!trade && !entry && f0 < s0 && f1 > s1) entry = { sl: b.close[i]! * o.slFactor, tp: b.close[i]! * o.tpFactor };
  }
  return { trades, cash, open: trade !== null };
}
