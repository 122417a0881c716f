/**
 * The deployment's audit, one event per line with `--json`: what the runner saw and did. Signals carry the
 * same condition trace as a backtest's (SignalEvent); errors say what and where, never a key.
 */
import type { OrderRecord, SignalEvent } from '../schema/index.ts';

export type LiveEvent =
  | { type: 'bar'; time: number; symbols: string[] }
  | { type: 'signal'; time: number; signal: SignalEvent }
  | { type: 'order'; time: number; clientOrderId: string; symbol: string; side: 'buy' | 'sell'; qty: number; state: 'intent' | 'sent' | 'refused' | 'unknown' | 'found' }
  | { type: 'fill'; time: number; clientOrderId: string; symbol: string; side: 'buy' | 'sell'; qty: number; price: number; fee: number }
  | { type: 'order-done'; time: number; clientOrderId: string; record: OrderRecord }
  | { type: 'reconcile'; time: number; what: string; expected: number; actual: number }
  | { type: 'guard'; time: number; symbol: string; reason: string }
  | { type: 'control'; time: number; action: 'pause' | 'resume' | 'kill'; detail: string }
  | { type: 'error'; time: number; where: string; message: string }
  /** A broker stream went live, dropped (REST polling meanwhile) or failed for good (errors come as 'error'). */
  | { type: 'stream'; time: number; where: string; message: string };
