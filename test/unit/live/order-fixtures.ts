/**
 * The bars and documents of the "orders beyond market" tests, shared by every broker's fake: flat daily bars
 * where a volume marks the signal bar, and a document that buys 10 shares with the order options under test.
 */
import type { LiveEvent } from '../../../src/live/events.ts';
import { parseDocument, type Action, type BarColumns, type StrategyDocument } from '../../../src/schema/index.ts';
import type { FakeBar } from './fake-alpaca.ts';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);
export const WARM = 5;
export const BUY = 7, SELL = 9; // the volume that makes a bar signal

/** Flat bars around 100 (range 99–101) unless `shape` says otherwise; `signals` puts a volume on a bar. */
export function bars(n: number, shape: Record<number, Partial<FakeBar>> = {}, signals: Record<number, number> = {}): FakeBar[] {
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * DAY, o: 100, h: 101, l: 99, c: 100, v: signals[i] ?? 1, ...shape[i] }));
}

export function doc(buy: Partial<Action>, sell = true): StrategyDocument {
  const when = (v: number) => ({ lhs: { kind: 'price', field: 'volume' }, op: '=', rhs: v });
  const r = parseDocument({
    version: 1, name: 'orders',
    settings: { universe: ['SPY'], timeframe: '1d', initialCash: 10_000, units: 'whole', range: { from: new Date(T0 + WARM * DAY).toISOString().slice(0, 10) } },
    strategies: [
      { id: 'in', name: 'in', condition: when(BUY), action: { type: 'buy', amount: { unit: 'quantity', value: 10 }, ...buy } },
      ...(sell ? [{ id: 'out', name: 'out', condition: when(SELL), action: { type: 'setWeight', weight: 0 } }] : []),
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

export function cols(list: FakeBar[]): BarColumns[] {
  const col = (f: (b: FakeBar) => number) => Float64Array.from(list, f);
  return [{ symbol: 'SPY', timeframe: '1d', length: list.length, time: col((b) => b.t), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c), volume: col((b) => b.v) }];
}

export const problems = (events: LiveEvent[]) => events.filter((e) => e.type === 'error' || e.type === 'reconcile' || e.type === 'guard');
