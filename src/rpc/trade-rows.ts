import type { RunResult, Trade } from '../schema/results.ts';
import { ABSENT, NULL, type ResultColumns } from '../lib/result-table.ts';
import { columnsBehind, decodeTradeAt } from './result-columns.ts';

/** The numeric fields every trade has. */
export type TradeNumber = 'quantity' | 'entryTime' | 'exitTime' | 'entryPrice' | 'exitPrice' | 'pnl' | 'returnPct' | 'fees';
/** The string fields of a trade (exitReason may be absent). */
export type TradeText = 'symbol' | 'side' | 'strategyId' | 'exitReason';

/**
 * A run's trades as the results page reads them: how many, one numeric field of all of them, one string field
 * of one, and a whole trade when a row is shown. Over a pool result it reads the transferred columns and makes
 * an object only for a row asked for; over any other result (or a list of trades) it reads the objects. Both
 * give the same values in the same order.
 */
export interface TradeRows {
  readonly length: number;
  /** Trade i (a fresh object per call where it is decoded from columns). */
  at(i: number): Trade;
  /** A numeric field of every trade, in trade order. */
  numbers(field: TradeNumber): ArrayLike<number>;
  /** A string field of trade i: undefined where the trade has no such field (exitReason). */
  text(field: TradeText, i: number): string | null | undefined;
}

/** The trades of a result: from the columns behind it when decodeResult made it (no trade object made), else its array. */
export function tradeRows(r: RunResult): TradeRows {
  const c = columnsBehind(r);
  return c ? columnTrades(c) : arrayTrades(r.trades);
}

/** Rows over `trades` as given: a list of trades (a marker's, a stored run's) or any TradeRows. */
export function asTradeRows(trades: TradeRows | readonly Trade[]): TradeRows {
  return Array.isArray(trades) ? arrayTrades(trades as readonly Trade[]) : (trades as TradeRows);
}

export function arrayTrades(trades: readonly Trade[]): TradeRows {
  const made = new Map<TradeNumber, Float64Array>();
  return {
    length: trades.length,
    at: (i) => trades[i]!,
    numbers: (field) => {
      let col = made.get(field);
      if (!col) made.set(field, (col = Float64Array.from(trades, (t) => t[field])));
      return col;
    },
    text: (field, i) => trades[i]![field],
  };
}

export function columnTrades(c: ResultColumns): TradeRows {
  const t = c.trades, strings = c.strings, n = t.length;
  return {
    length: n,
    at: (i) => decodeTradeAt(c, i),
    numbers: (field) => t.num[field]!.subarray(0, n),
    text: (field, i) => {
      const k = t.str[field]![i]!;
      return k === ABSENT ? undefined : k === NULL ? null : strings[k];
    },
  };
}
