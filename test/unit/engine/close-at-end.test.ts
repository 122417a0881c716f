/**
 * settings.closeAtEnd (exit reason "end", backtesting.py's finalize_trades): hand-computed. Daily bars of A,
 * cash 1000, whole units, a per-order fee of 1; the strategy buys all on the bar whose volume is 1.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest, runReplay } from '../../../src/engine/index.ts';
import { ocBars } from '../../helpers/bars.ts';
import { close9, day, doc, expectOrder, finalEquity, on } from './helpers.ts';

// d1 signal; d2 fills at the open 10: 99 units (100 would cost 1000 + 1 fee), cash 9; d3 closes at 12.
const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 11, 0], [day(3), 11.5, 12, 0]]);
const run = (closeAtEnd?: boolean) => {
  const d = doc({ fees: { perOrder: 1 }, ...(closeAtEnd === undefined ? {} : { closeAtEnd }) }, [on(1, { type: 'buy', amount: { unit: 'all' } })]);
  const r = runBacktest(d, { bars: [A] });
  const replayed = runReplay(d, { bars: [A] });
  expect(replayed.trades).toEqual(r.trades);
  expect(replayed.orders).toEqual(r.orders);
  expect(Array.from(replayed.curves.equity)).toEqual(Array.from(r.curves.equity));
  return r;
};

describe('positions open at the end of the data', () => {
  it('default (omitted or false): left open, marked at the last close, not a trade', () => {
    for (const r of [run(), run(false)]) {
      expect(r.trades).toEqual([]);
      close9(finalEquity(r), 9 + 99 * 12, 'equity');
    }
  });

  it('closeAtEnd: closed at the last close as a trade with exit reason "end"; the last equity point pays the fee', () => {
    const r = run(true);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ quantity: 99, entryPrice: 10, exitPrice: 12, exitTime: day(3), exitReason: 'end' });
    close9(r.trades[0]!.pnl, 2 * 99 - 2, 'pnl');
    expectOrder(r.orders[1], { type: 'closeAtEnd', side: 'sell', status: 'filled', fillPrice: 12, filledQuantity: 99, strategyId: 's1' });
    close9(finalEquity(r), 9 + 99 * 12 - 1, 'equity');
    expect(r.stats.tradeCount).toBe(1);
  });

  it('the fast path runs it (issue 17): the same orders, trades and curve as the reference, the "end" exit included', () => {
    const d = doc({ fees: { perOrder: 1 }, closeAtEnd: true }, [on(1, { type: 'buy', amount: { unit: 'all' } })]);
    const r = runBacktest(d, { bars: [A] }, { engine: 'fast' });
    const ref = runBacktest(d, { bars: [A] }, { engine: 'reference' });
    expect(r.engine).toBe('fast');
    expect(r.trades[0]).toMatchObject({ exitReason: 'end' });
    expect([r.orders, r.trades, r.curves, r.stats]).toEqual([ref.orders, ref.trades, ref.curves, ref.stats]);
    const exits = doc({ timeframe: '1d' }, [on(1, { type: 'buy', amount: { unit: 'all' }, exits: { timeExit: { sessionClose: true } } })]);
    const x = runBacktest(exits, { bars: [A] }, { engine: 'fast' });
    const xRef = runBacktest(exits, { bars: [A] }, { engine: 'reference' });
    expect(x.engine).toBe('fast');
    expect([x.orders, x.trades, x.curves, x.stats]).toEqual([xRef.orders, xRef.trades, xRef.curves, xRef.stats]);
  });

  it('closeAtEnd with nothing open changes nothing', () => {
    const d = doc({ closeAtEnd: true }, [on(7, { type: 'buy', amount: { unit: 'all' } })]);
    const r = runBacktest(d, { bars: [A] });
    expect(r.trades).toEqual([]);
    expect(r.orders).toEqual([]);
  });
});
