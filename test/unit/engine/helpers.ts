/** Shared helpers of the hand-computed engine tests: documents from a few lines, runs, lookups. */
import { expect } from 'vitest';
import { runBacktest, type MarketData } from '../../../src/engine/index.ts';
import { parseDocument, type Action, type BarColumns, type Condition, type OrderRecord, type RunResult, type SettingsInput, type StrategyDocument } from '../../../src/schema/index.ts';

/** UTC midnight of 2024-01-`n` (2024-01-01 is a Monday). */
export const day = (n: number): number => Date.UTC(2024, 0, n);

export interface StrategyInput {
  id?: string;
  condition?: Condition;
  action: Action;
}

/** A document over `settings` (universe defaults to ['A'], cash to 1000, no costs) with these strategies. */
export function doc(settings: Partial<SettingsInput>, strategies: StrategyInput[], extra: Record<string, unknown> = {}): StrategyDocument {
  const r = parseDocument({
    version: 1,
    name: 'test',
    settings: { universe: ['A'], initialCash: 1000, ...settings },
    strategies: strategies.map((s, i) => ({ ...s, id: s.id ?? `s${i + 1}`, name: s.id ?? `s${i + 1}` })),
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

/** Fires when the asset's bar volume equals `code`: the bars of a test say on which bar each strategy acts. */
export function on(code: number, action: Action, asset?: string, id?: string): StrategyInput {
  return { id, condition: { lhs: { kind: 'price', field: 'volume', ...(asset ? { asset } : {}) }, op: '=', rhs: code }, action };
}

export function run(d: StrategyDocument, ...cols: BarColumns[]): RunResult {
  return runBacktest(d, { bars: cols } satisfies MarketData);
}

export function finalEquity(r: RunResult): number {
  return r.curves.equity[r.curves.equity.length - 1]!;
}

/** Expects an order record to match, numbers to 1e-9. */
export function expectOrder(o: OrderRecord | undefined, want: Partial<OrderRecord>): void {
  expect(o).toBeDefined();
  for (const [k, v] of Object.entries(want)) {
    const got = (o as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number' && typeof got === 'number') expect(got, k).toBeCloseTo(v, 9);
    else expect(got, k).toEqual(v);
  }
}

export function close9(actual: number, expected: number, what = ''): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}
