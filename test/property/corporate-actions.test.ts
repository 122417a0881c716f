/**
 * Invariants of corporate actions (issue 11 item 3) on random daily bars, random actions and random
 * calendar-driven strategies (their decisions cannot depend on the price scale):
 * - splits: raw prices with split events and back-adjusted prices give the same equity at every bar and the
 *   same trade P&L, with fractional units and costs that scale with notional (exact up to rounding);
 * - dividends: raw prices with dividends vs without, on fixed quantities, differ in equity by exactly the
 *   dividend cash credited or charged so far (no cash leaks), and each trade's P&L by its `dividends`;
 * - replay ≡ backtest with actions, event log included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest, runReplay } from '../../src/engine/index.ts';
import { parseDocument, type Action, type BarColumns, type CorporateAction, type RunResult, type StrategyDocument } from '../../src/schema/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const barsArb = fc.array(fc.record({ gap: fc.constantFrom(1, 1, 1, 3), open: fc.integer({ min: -3, max: 3 }), close: fc.integer({ min: -3, max: 3 }) }), { minLength: 5, maxLength: 60 })
  .map((steps): BarColumns => {
    let t = T0, last = 100;
    const rows = steps.map((s) => {
      t += s.gap * DAY;
      const open = Math.max(20, last + s.open), close = Math.max(20, open + s.close);
      last = close;
      return [t, open, Math.max(open, close) + 1, Math.min(open, close) - 1, close, 1000];
    });
    const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
    return { symbol: 'A', timeframe: '1d', length: rows.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
  });

const dayOfWeek = (d: number) => ({ lhs: { kind: 'calendar', field: 'dayOfWeek' }, op: '=', rhs: d }) as const;

function document(strategies: { dow: number; action: Action }[], settings: Record<string, unknown>): StrategyDocument {
  const r = parseDocument({
    version: 1, name: 'p',
    settings: { universe: ['A'], initialCash: 100_000, units: 'fractional', allowShort: true, ...settings },
    strategies: strategies.map((s, i) => ({ id: `s${i}`, name: `s${i}`, condition: dayOfWeek(s.dow), action: s.action })),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('corporate-action invariants', () => {
  it('splits: raw with events ≡ adjusted prices (equity at every bar, trade P&L), fractional units', () => {
    const scaleFree: fc.Arbitrary<Action> = fc.oneof(
      fc.constant<Action>({ type: 'buy', amount: { unit: 'all' } }),
      fc.integer({ min: 5, max: 60 }).map((v): Action => ({ type: 'buy', amount: { unit: 'percentOfEquity', value: v } })),
      fc.integer({ min: 10, max: 100 }).map((v): Action => ({ type: 'sell', amount: { unit: 'percentOfPosition', value: v } })),
      fc.constant<Action>({ type: 'sell', amount: { unit: 'all' } }),
      fc.constantFrom(-0.5, 0, 0.4, 1).map((w): Action => ({ type: 'setWeight', weight: w })),
      fc.constant<Action>({ type: 'closeAll' }),
    );
    fc.assert(
      fc.property(
        barsArb,
        fc.array(fc.record({ dow: fc.integer({ min: 1, max: 5 }), action: scaleFree }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 80 }), value: fc.constantFrom(2, 3, 0.5, 1.5, 0.1, 7) }), { maxLength: 4 }),
        fc.record({ fillModel: fc.constantFrom('nextOpen', 'close'), fees: fc.record({ fraction: fc.constantFrom(0, 0.001), perOrder: fc.constantFrom(0, 1), minimum: fc.constantFrom(0, 2) }), slippage: fc.record({ bps: fc.constantFrom(0, 10) }) }),
        (bars, strategies, splits, settings) => {
          const actions: CorporateAction[] = [...new Map(splits.map((s) => [s.day, { symbol: 'A', exDate: T0 + s.day * DAY, type: 'split' as const, value: s.value }])).values()];
          const raw = runBacktest(document(strategies, { ...settings, prices: 'raw' }), { bars: [bars], actions });
          const adj = runBacktest(document(strategies, { ...settings, prices: 'adjusted' }), { bars: [bars], actions });
          expect(raw.curves.equity.length).toBe(adj.curves.equity.length);
          raw.curves.equity.forEach((e, i) => expect(close(e, adj.curves.equity[i]!), `equity ${i}: ${e} vs ${adj.curves.equity[i]}`).toBe(true));
          expect(raw.trades.length).toBe(adj.trades.length);
          raw.trades.forEach((t, i) => expect(close(t.pnl, adj.trades[i]!.pnl), `trade ${i} pnl`).toBe(true));
        },
      ),
      { numRuns: 200, seed: 113 },
    );
  });

  it('dividends: raw with dividends − raw without = the dividend cash so far, at every bar; per trade too', () => {
    const fixed: fc.Arbitrary<Action> = fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((v): Action => ({ type: 'buy', amount: { unit: 'quantity', value: v } })),
      fc.integer({ min: 1, max: 40 }).map((v): Action => ({ type: 'sell', amount: { unit: 'quantity', value: v } })),
    );
    fc.assert(
      fc.property(
        barsArb,
        fc.array(fc.record({ dow: fc.integer({ min: 1, max: 5 }), action: fixed }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 80 }), value: fc.constantFrom(0.1, 0.5, 1.25, 3) }), { maxLength: 5 }),
        fc.constantFrom('nextOpen', 'close'),
        (bars, strategies, divs, fillModel) => {
          const actions: CorporateAction[] = [...new Map(divs.map((s) => [s.day, { symbol: 'A', exDate: T0 + s.day * DAY, type: 'dividend' as const, value: s.value }])).values()];
          const doc = document(strategies, { fillModel, prices: 'raw', closeAtEnd: true });
          const withDiv = runBacktest(doc, { bars: [bars], actions });
          const without = runBacktest(doc, { bars: [bars] });
          const events = withDiv.corporateActions ?? [];
          let k = 0, credited = 0;
          withDiv.curves.time.forEach((t, i) => {
            for (; k < events.length && events[k]!.time <= t; k++) credited += events[k]!.cash;
            const diff = withDiv.curves.equity[i]! - without.curves.equity[i]!;
            // closeAtEnd: the last point pays the closing costs, identical in both runs.
            expect(Math.abs(diff - credited) <= 1e-7, `bar ${i}: ${diff} vs ${credited}`).toBe(true);
          });
          expect(withDiv.trades.length).toBe(without.trades.length);
          let fromTrades = 0;
          withDiv.trades.forEach((t, i) => {
            fromTrades += t.dividends ?? 0;
            expect(Math.abs(t.pnl - without.trades[i]!.pnl - (t.dividends ?? 0)) <= 1e-7, `trade ${i}`).toBe(true);
          });
          // Every position is closed at the end: all dividend cash is in some trade.
          expect(Math.abs(fromTrades - credited) <= 1e-7, `${fromTrades} vs ${credited}`).toBe(true);
        },
      ),
      { numRuns: 200, seed: 114 },
    );
  });

  it('replay ≡ backtest with splits and dividends on raw prices (orders, trades, events, equity)', () => {
    fc.assert(
      fc.property(
        barsArb,
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 80 }), split: fc.boolean(), value: fc.constantFrom(2, 0.5, 1.5) }), { maxLength: 5 }),
        fc.constantFrom('whole', 'fractional'),
        (bars, list, units) => {
          const actions: CorporateAction[] = [...new Map(list.map((s) => [`${s.day}${s.split}`, { symbol: 'A', exDate: T0 + s.day * DAY, type: s.split ? 'split' as const : 'dividend' as const, value: s.split ? s.value : s.value / 4 }])).values()];
          const doc = document([
            { dow: 1, action: { type: 'buy', amount: { unit: 'quantity', value: 7 }, entry: { type: 'limit', price: { percent: 1 }, timeInForce: 'gtc' }, exits: { stopLoss: { distance: 4 }, takeProfit: { percent: 6 } } } },
            { dow: 4, action: { type: 'sell', amount: { unit: 'quantity', value: 3 } } },
          ], { prices: 'raw', units });
          const a: RunResult = runBacktest(doc, { bars: [bars], actions });
          const b: RunResult = runReplay(doc, { bars: [bars], actions });
          expect(b.orders).toEqual(a.orders);
          expect(b.trades).toEqual(a.trades);
          expect(b.corporateActions).toEqual(a.corporateActions);
          expect(Array.from(b.curves.equity)).toEqual(Array.from(a.curves.equity));
        },
      ),
      { numRuns: 100, seed: 115 },
    );
  });
});
