import type { AmountUnit } from '../strategy/index.ts';
import type { OrderRecord } from '../schema/index.ts';

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
