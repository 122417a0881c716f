import type { TradeNumber, TradeRows } from '../../rpc/trade-rows.ts';
import type { Trade } from '../../schema/index.ts';
import { priceDecimals } from './format.ts';

/** Each symbol's price decimals (see priceDecimals). */
export type Decimals = ReadonlyMap<string, number>;

const TEXT = new Set<keyof Trade>(['symbol', 'side', 'strategyId', 'exitReason']);

/**
 * The order of trades i and j by `key`: numbers by difference, strings by localeCompare, no exit reason as
 * "signal" (as the trade table shows it). The same order the table had sorting trade objects.
 */
function comparator(rows: TradeRows, key: keyof Trade): (i: number, j: number) => number {
  if (key === 'exitReason') return (i, j) => (rows.text('exitReason', i) ?? 'signal').localeCompare(rows.text('exitReason', j) ?? 'signal');
  if (TEXT.has(key)) {
    const k = key as 'symbol' | 'side' | 'strategyId';
    return (i, j) => String(rows.text(k, i)).localeCompare(String(rows.text(k, j)));
  }
  const v = rows.numbers(key as TradeNumber);
  return (i, j) => v[i]! - v[j]!;
}

/**
 * The trades' indices sorted by `key` (stable: ties stay in trade order), reversed when descending. Indices,
 * not objects, so that a table of a pool result's 50k trades makes objects only of the rows it shows.
 */
export function sortTrades(rows: TradeRows, key: keyof Trade, ascending: boolean): number[] {
  const out = Array.from({ length: rows.length }, (_, i) => i).sort(comparator(rows, key));
  return ascending ? out : out.reverse();
}

/** Each symbol's price precision, read from its fill prices (entry then exit, trade by trade). */
export function tradeDecimals(rows: TradeRows): Decimals {
  const prices = new Map<string, number[]>();
  const entry = rows.numbers('entryPrice'), exit = rows.numbers('exitPrice');
  for (let i = 0; i < rows.length; i++) {
    const s = rows.text('symbol', i)!;
    const p = prices.get(s) ?? [];
    p.push(entry[i]!, exit[i]!);
    prices.set(s, p);
  }
  return new Map([...prices].map(([s, p]) => [s, priceDecimals(p)]));
}
