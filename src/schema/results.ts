/**
 * What a run produces. Plain data (structured-clone friendly) so results cross worker boundaries and
 * persist in IndexedDB unchanged. Times are UTC epoch ms; percentages are in percent (12.5 = 12.5 %).
 */
import type { ResultColumns } from '../lib/result-table.ts';
import type { CorporateActionEvent } from './actions.ts';
import type { ExitReason } from './orders.ts';

export type Side = 'long' | 'short';

/** A round trip: opened by one fill, closed (fully or partly) by another. */
export interface Trade {
  symbol: string;
  side: Side;
  quantity: number;
  entryTime: number;
  exitTime: number;
  entryPrice: number;
  exitPrice: number;
  /** Net of both legs' fees. */
  pnl: number;
  /** pnl / (entryPrice × quantity) × 100, signed for shorts (a falling price is a positive short return). */
  returnPct: number;
  fees: number;
  /** Strategy whose order opened the trade. */
  strategyId: string;
  /**
   * Which exit attached to the position closed it (stop-loss, take-profit, trailing stop, time exit).
   * Absent when a strategy's order closed it ("signal"), so results of documents without exits are unchanged.
   */
  exitReason?: Exclude<ExitReason, 'signal'>;
  /**
   * Cash dividends received while the trade was open (negative: paid on a short), pro rata to the quantity
   * closed; already included in pnl and returnPct. Absent when none (docs/ENGINE.md "Corporate actions").
   */
  dividends?: number;
}

/** Order types beyond market: resting entries, and the exits the venue places for a position. */
export type OrderType = 'limit' | 'stop' | 'stopLimit' | 'stopLoss' | 'takeProfit' | 'trailingStop' | 'timeExit' | 'closeAtEnd';

export type OrderStatus = 'open' | 'filled' | 'rejected' | 'cancelled';

export interface OrderRecord {
  id: number;
  strategyId: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** Requested quantity (positive); filledQuantity may be lower when clipped. */
  quantity: number;
  createdTime: number;
  status: OrderStatus;
  fillTime: number | null;
  fillPrice: number | null;
  filledQuantity: number;
  fees: number;
  /** Why an order was rejected or clipped: "insufficient cash", "shorting not allowed", "no bar" … */
  reason: string | null;
  /** Absent for market orders. */
  type?: OrderType;
  /** Trigger and limit prices of a resting or exit order (absent where the type has none). */
  stopPrice?: number;
  limitPrice?: number;
  /** An exit order: the order whose attached exits placed it (the audit links a position's exit to its entry). */
  parentId?: number;
}

/** One operand as the condition saw it. */
export interface TraceOperand {
  label: string;
  value: number;
}

export type TraceNode =
  | { type: 'compare'; op: string; lhs: TraceOperand; rhs: TraceOperand; prevLhs?: number; prevRhs?: number; result: boolean }
  | { type: 'all' | 'any' | 'not'; result: boolean; children: TraceNode[] }
  | { type: 'atLeast' | 'atMost'; count: number; result: boolean; children: TraceNode[] }
  | { type: 'always'; result: true };

export interface SignalEvent {
  time: number;
  strategyId: string;
  action: string;
  /**
   * The condition tree with the values it saw. Absent when the result came from the engine pool as columns
   * (src/rpc/result-columns.ts): the page re-evaluates that bar on demand (explain), which yields the same tree.
   */
  trace?: TraceNode;
  /** Target weights a rebalance or setWeight computed, if any. */
  weights: { asset: string; weight: number }[] | null;
  orderIds: number[];
  message: string | null;
}

/** Statistics; definitions in src/engine/stats.ts (the step fold in series-stats.ts) and docs/STATISTICS.md. NaN where undefined. */
export interface Stats {
  startTime: number;
  endTime: number;
  durationDays: number;
  initialEquity: number;
  finalEquity: number;
  peakEquity: number;
  totalReturnPct: number;
  /** Buy & hold of the benchmark from the first bar the strategy could trade (after warm-up) to the end. */
  buyHoldReturnPct: number;
  /** Buy & hold of the benchmark over the whole run, warm-up included. */
  buyHoldWholeReturnPct: number;
  /** P, the periods per year that annualise the period returns (from the settings or inferred from the bars). */
  periodsPerYear: number;
  /** How many period returns (daily, or per bar for weekly and longer bars) the ratios are built on. */
  returnPeriods: number;
  annualReturnPct: number;
  annualVolatilityPct: number;
  cagrPct: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdownPct: number;
  avgDrawdownPct: number;
  maxDrawdownDays: number;
  avgDrawdownDays: number;
  exposurePct: number;
  tradeCount: number;
  winRatePct: number;
  bestTradePct: number;
  worstTradePct: number;
  avgTradePct: number;
  maxTradeDays: number;
  avgTradeDays: number;
  expectancyPct: number;
  profitFactor: number;
  sqn: number;
  kelly: number;
  feesPaid: number;
  turnover: number;
  alphaPct: number;
  beta: number;
}

export interface Curves {
  /** Sampled history (every bar for daily data, hourly intraday by default). */
  time: Float64Array;
  equity: Float64Array;
  /** Drawdown from the running peak, as a negative fraction (−0.25 = 25 % below the peak). */
  drawdown: Float64Array;
  /** Benchmark buy-and-hold equity scaled to the initial cash. */
  benchmark: Float64Array;
}

export interface RunResult {
  engineVersion: string;
  /**
   * Which engine produced the result: the compiled fast path, or the reference kernel (same results by
   * construction and by test). Absent in results stored before the fast path existed.
   */
  engine?: 'fast' | 'reference';
  /** Why the reference ran, when it did. */
  engineNote?: string;
  stats: Stats;
  curves: Curves;
  trades: Trade[];
  orders: OrderRecord[];
  signals: SignalEvent[];
  /** Bars read (all symbols, including warm-up). */
  barCount: number;
  /** Timeline steps processed (including warm-up). */
  eventCount: number;
  warnings: string[];
  /**
   * Corporate actions the kernel applied (settings.prices "raw"), in time order, with their effect on the
   * position and cash. Absent when the run had no actions for its symbols or ran on adjusted prices.
   */
  corporateActions?: CorporateActionEvent[];
  /**
   * Trades, orders and signals as columns (src/lib/result-table.ts), when the run was asked for them
   * (RunOptions.columns) and the compiled walk ran: then `trades`, `orders` and `signals` are empty and these
   * are the run's. Signals carry no trace there (explain gives it).
   */
  columns?: ResultColumns;
}
