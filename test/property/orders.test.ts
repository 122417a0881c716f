/**
 * Properties of orders beyond market on random documents and random data (fast-check). Daily bars are
 * built from hourly bars (the finer data), so the bar magnifier has real bars to look inside:
 *   1. replay ≡ backtest with every entry type, exit and intrabar rule, finer data included;
 *   2. no look-ahead with finer data: changing the finer bars after the end of the daily bar at t never
 *      changes a decision (signal, order, fill, trade) at or before t — and changing the finer bars of
 *      every day does change some runs (the property would notice a magnifier that reads nothing);
 *   3. the books balance: cash and positions equal a ledger rebuilt from the order log, exits included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest, runReplay } from '../../src/engine/index.ts';
import type { BarColumns, RunResult } from '../../src/schema/index.ts';
import { DAY, dataArb, docArb, toData } from '../helpers/random-orders.ts';

const NUM_RUNS = Number(process.env.ENGINE_PROPERTY_RUNS ?? 150);

/** Decisions at or before t: signals, orders created by then (with their fill if it happened by then), trades closed by then. */
function decisions(r: RunResult, t: number) {
  return {
    signals: r.signals.filter((s) => s.time <= t),
    orders: r.orders.filter((o) => o.createdTime <= t).map((o) => (o.fillTime !== null && o.fillTime <= t ? o : { id: o.id, createdTime: o.createdTime, type: o.type })),
    trades: r.trades.filter((x) => x.exitTime <= t),
  };
}

describe('order properties', () => {
  it('replay ≡ backtest with every entry type, exit and intrabar rule (finer data included)', () => {
    fc.assert(fc.property(docArb, dataArb, (doc, days) => {
      const { daily, hourly } = toData(days);
      const data = { bars: [daily], finer: [hourly] };
      const a = runBacktest(doc, data), b = runReplay(doc, data);
      expect(b.signals).toEqual(a.signals);
      expect(b.orders).toEqual(a.orders);
      expect(b.trades).toEqual(a.trades);
      expect(b.stats).toEqual(a.stats);
      expect(b.curves).toEqual(a.curves);
    }), { numRuns: NUM_RUNS });
  });

  it('no look-ahead with finer data: finer bars after the daily bar at t never change a decision at or before t', () => {
    let sensitive = 0;
    const tweakArb = fc.record({ cut: fc.integer({ min: 0, max: 29 }), seed: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(fc.property(docArb, dataArb, tweakArb, (doc, days, tweak) => {
      const finerDoc = { ...doc, settings: { ...doc.settings, intrabar: 'finerData' as const } };
      const { daily, hourly } = toData(days);
      const t = daily.time[Math.min(tweak.cut, daily.length - 1)]!;
      // Finer bars of later days move (the daily bars stay: only what the magnifier reads changes).
      const shake = (after: number): BarColumns => {
        const f = (col: Float64Array, k: number) => Float64Array.from(col, (x, i) => (hourly.time[i]! >= after ? Math.max(1, x + ((tweak.seed * (i + 1) * (k + 3)) % 7) * 0.25 - 0.75) : x));
        return { ...hourly, open: f(hourly.open, 1), high: f(hourly.high, 2), low: f(hourly.low, 3), close: f(hourly.close, 4) };
      };
      const base = runBacktest(finerDoc, { bars: [daily], finer: [hourly] });
      const later = runBacktest(finerDoc, { bars: [daily], finer: [shake(t + DAY)] });
      expect(decisions(later, t)).toEqual(decisions(base, t));
      const all = runBacktest(finerDoc, { bars: [daily], finer: [shake(-Infinity)] });
      if (JSON.stringify(all.orders) !== JSON.stringify(base.orders)) sensitive++;
    }), { numRuns: NUM_RUNS });
    expect(sensitive, 'changing every finer bar changed no run: the magnifier reads nothing').toBeGreaterThan(0);
  });

  it('the books balance with exits: cash and position equal a ledger of the order log', () => {
    fc.assert(fc.property(docArb, dataArb, (doc, days) => {
      const { daily, hourly } = toData(days);
      const r = runBacktest(doc, { bars: [daily], finer: [hourly] });
      let cash = 1000, qty = 0;
      for (const o of r.orders) {
        if (o.filledQuantity === 0) continue;
        const signed = (o.side === 'buy' ? 1 : -1) * o.filledQuantity;
        cash -= signed * o.fillPrice! + o.fees;
        qty += signed;
      }
      const lastClose = daily.close[daily.length - 1]!;
      const equity = r.curves.equity[r.curves.equity.length - 1]!;
      expect(Math.abs(cash + qty * lastClose - equity)).toBeLessThanOrEqual(1e-6 * Math.max(1000, Math.abs(equity)));
      // Every exit order closes a whole position and names its reason on the trade it closes.
      for (const o of r.orders) {
        if (o.type === 'stopLoss' || o.type === 'takeProfit' || o.type === 'trailingStop' || o.type === 'timeExit' || o.type === 'closeAtEnd') {
          expect(o.status).toBe('filled');
          // (A strategy's order may close part of the position at the same time and price: match the reason too.)
          const reason = { stopLoss: 'stop', takeProfit: 'target', trailingStop: 'trail', timeExit: 'time', closeAtEnd: 'end' }[o.type];
          expect(r.trades.some((x) => x.exitTime === o.fillTime && x.exitPrice === o.fillPrice && x.exitReason === reason), `${o.type} at ${o.fillTime}`).toBe(true);
        }
      }
    }), { numRuns: NUM_RUNS });
  });
});
