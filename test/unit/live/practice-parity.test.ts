/**
 * Property: deploying to practice (the live processor on the simulated broker, fed the data timestamp by
 * timestamp) yields the backtest's event log — signals with traces, orders, trades, equity — when the backtest
 * sizes at the signal bar's close (the rule live trading must use). nextOpen fills only: a live order cannot
 * fill at the close of the bar that produced it (docs/LIVE.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { runPractice } from '../../../src/live/practice.ts';
import type { BarColumns, RunResult, StrategyDocument } from '../../../src/schema/index.ts';
import { dataArb, docArbWith, toBars } from '../../helpers/random-documents.ts';
import { dataArb as daysArb, docArbWith as orderDocArbWith, toData } from '../../helpers/random-orders.ts';

const docArb = docArbWith(['nextOpen']);

function backtest(doc: StrategyDocument, cols: BarColumns[]): RunResult | null {
  try {
    return runBacktest(doc, { bars: cols }, { sizing: 'signal' });
  } catch (e) {
    if ((e as Error).name === 'RunError') return null;
    throw e;
  }
}

describe('practice deployment = backtest', () => {
  it('replay through the live processor on the simulated broker equals the backtest event log (random documents and bars)', async () => {
    await fc.assert(
      fc.asyncProperty(docArb, dataArb, async (doc, steps) => {
        const cols = toBars(steps);
        const a = backtest(doc, cols);
        if (a === null) return;
        const lp = await runPractice(doc, { bars: cols });
        const b = lp.result();
        expect(lp.events.filter((e) => e.type === 'error')).toEqual([]);
        expect(lp.events.filter((e) => e.type === 'reconcile')).toEqual([]);
        expect(b.signals).toEqual(a.signals);
        expect(b.orders).toEqual(a.orders);
        expect(b.trades).toEqual(a.trades);
        expect(b.curves).toEqual(a.curves);
        expect(b.stats).toEqual(a.stats);
      }),
      { numRuns: Number(process.env.LIVE_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe('practice deployment = backtest, orders beyond market', () => {
  it('with limit/stop/stop-limit entries (every time in force), stop-loss, take-profit, trailing and time exits (session close too), both intrabar rules', async () => {
    let exits = 0, resting = 0, sessionCloses = 0;
    await fc.assert(
      fc.asyncProperty(orderDocArbWith(['nextOpen'], ['pessimistic', 'optimistic'], false, true), daysArb, async (doc, days) => {
        const data = { bars: [toData(days).daily] };
        const a = runBacktest(doc, data, { sizing: 'signal' });
        const lp = await runPractice(doc, data);
        const b = lp.result();
        expect(lp.events.filter((e) => e.type === 'error' || e.type === 'reconcile' || e.type === 'guard')).toEqual([]);
        expect(b.signals).toEqual(a.signals);
        expect(b.orders).toEqual(a.orders);
        expect(b.trades).toEqual(a.trades);
        expect(b.curves).toEqual(a.curves);
        expect(b.stats).toEqual(a.stats);
        exits += a.trades.filter((t) => t.exitReason !== undefined).length;
        resting += a.orders.filter((o) => o.type === 'limit' || o.type === 'stop' || o.type === 'stopLimit').length;
        if (JSON.stringify(doc).includes('sessionClose')) sessionCloses += a.trades.filter((t) => t.exitReason === 'time').length;
      }),
      { numRuns: Number(process.env.LIVE_PROPERTY_RUNS ?? 60) },
    );
    // The property would say nothing if no run exercised exits, resting entries or session closes.
    expect(exits).toBeGreaterThan(0);
    expect(resting).toBeGreaterThan(0);
    expect(sessionCloses).toBeGreaterThan(0);
  });

  it('stopped after k timestamps and resumed from its journal, a run with order types ends as an uninterrupted one', async () => {
    await fc.assert(
      fc.asyncProperty(orderDocArbWith(['nextOpen'], ['pessimistic']), daysArb, fc.integer({ min: 1, max: 20 }), async (doc, days, k) => {
        const data = { bars: [toData(days).daily] };
        const whole = (await runPractice(doc, data)).result();
        const journal = new MemoryJournal();
        await runPractice(doc, data, { journal, maxSteps: k });
        const resumed = await runPractice(doc, data, { journal });
        const r = resumed.result();
        expect(r.orders).toEqual(whole.orders);
        expect(r.trades).toEqual(whole.trades);
        expect(resumed.events.filter((e) => e.type === 'error' || e.type === 'reconcile')).toEqual([]);
      }),
      { numRuns: Number(process.env.LIVE_PROPERTY_RUNS ?? 30) },
    );
  });
});

describe('practice deployment resumes', () => {
  it('stopped after k timestamps and resumed from its journal, it ends exactly as an uninterrupted run', async () => {
    await fc.assert(
      fc.asyncProperty(docArb, dataArb, fc.integer({ min: 1, max: 30 }), async (doc, steps, k) => {
        const cols = toBars(steps);
        if (backtest(doc, cols) === null) return;
        const whole = (await runPractice(doc, { bars: cols })).result();
        const journal = new MemoryJournal();
        await runPractice(doc, { bars: cols }, { journal, maxSteps: k });
        const resumed = await runPractice(doc, { bars: cols }, { journal });
        const r = resumed.result();
        expect(r.orders).toEqual(whole.orders);
        expect(r.trades).toEqual(whole.trades);
        expect(r.curves).toEqual(whole.curves);
        expect(resumed.events.filter((e) => e.type === 'error' || e.type === 'reconcile')).toEqual([]);
      }),
      { numRuns: Number(process.env.LIVE_PROPERTY_RUNS ?? 40) },
    );
  });
});

describe('practice deployment = backtest, a rejected order', () => {
  it('regression: a sell sized at the signal whose position an exit closed before the fill was recorded for 0 in the backtest, 1 live (seed -1629934723)', async () => {
    const [doc, days] = STOP_AFTER_EXIT_CASE as unknown as [StrategyDocument, Parameters<typeof toData>[0]];
    const data = { bars: [toData(days).daily] };
    const a = runBacktest(doc, data, { sizing: 'signal' });
    const b = (await runPractice(doc, data)).result();
    const rejected = a.orders.find((o) => o.status === 'rejected')!;
    expect(rejected).toMatchObject({ strategyId: 's0', reason: 'no position to sell', quantity: 1, filledQuantity: 0 });
    expect(b.orders).toEqual(a.orders);
  });
});

describe('signal sizing in the backtest', () => {
  it('regression: a quantity fixed at the signal fell 3e-14 short of the position and left a dust trade (seed 1208860183)', () => {
    const [doc, steps] = DUST_CASE as unknown as [StrategyDocument, Parameters<typeof toBars>[0]];
    const cols = toBars(steps.map((s) => ({ ...s, mask: 7 })));
    const a = runBacktest(doc, { bars: cols });
    const b = runBacktest(doc, { bars: cols }, { sizing: 'signal' });
    expect(b.trades.length).toBe(a.trades.length);
    expect(b.trades.every((t) => t.quantity > 1e-6)).toBe(true);
  });

  it('under the close fill model, with every asset trading at every step, sizing at the signal is sizing at the fill (same price)', () => {
    fc.assert(
      fc.property(docArbWith(['close']), dataArb, (doc, steps) => {
        // An asset without a bar now fills at its next bar's close under fill sizing; at the signal it has an older price.
        const cols = toBars(steps.map((s) => ({ ...s, mask: 7 })));
        let a: RunResult;
        try { a = runBacktest(doc, { bars: cols }); } catch (e) { if ((e as Error).name === 'RunError') return; throw e; }
        const b = runBacktest(doc, { bars: cols }, { sizing: 'signal' });
        // A rejected order is rejected at the signal instead of at the fill: same reason, same books. A reversal's
        // fixed quantity is re-split into its close and open legs at the fill, which may round in the last bit.
        const near = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
        const shape = (r: RunResult) => r.orders.map((o) => [o.id, o.status, o.reason, o.side, o.fillTime, o.fillPrice]);
        expect(shape(b)).toEqual(shape(a));
        b.orders.forEach((o, i) => expect(near(o.filledQuantity, a.orders[i]!.filledQuantity) && near(o.fees, a.orders[i]!.fees)).toBe(true));
        expect(b.trades.length).toBe(a.trades.length);
        expect(b.curves.time).toEqual(a.curves.time);
        b.curves.equity.forEach((e, i) => expect(near(e, a.curves.equity[i]!), `equity at ${i}`).toBe(true));
      }),
      { numRuns: Number(process.env.LIVE_PROPERTY_RUNS ?? 60) },
    );
  });
});

/** The shrunk counterexample of the property below at seed 1208860183 (three strategies trading A at once). */
const DUST_CASE = [{"version": 1, "name": "random", "settings": {"universe": ["A", "B", "C"], "timeframe": "1d", "range": {"from": "2024-01-04"}, "initialCash": 19989, "fees": {"fraction": 0.01, "perShare": 0, "perOrder": 0, "minimum": 2}, "slippage": {"bps": 0, "fixed": 0.01}, "fillModel": "close", "units": "fractional", "allowShort": true, "riskFreeRate": 0, "sampling": "auto"}, "parameters": {}, "strategies": [{"id": "s0", "name": "s0", "condition": {"lhs": {"kind": "rsi", "asset": "A", "window": {"bars": 2}}, "op": ">", "rhs": 30}, "action": {"type": "setWeight", "asset": "A", "weight": -0.1}}, {"id": "s1", "name": "s1", "condition": {"lhs": {"kind": "rsi", "asset": "A", "window": {"bars": 2}}, "op": ">", "rhs": 30}, "action": {"type": "rebalance", "universe": {"candidates": ["A", "B", "C"], "filter": {"lhs": {"kind": "sma", "asset": "$asset", "window": {"bars": 1}}, "op": ">", "rhs": {"kind": "sma", "asset": "A", "window": {"bars": 1}}}, "sort": {"by": {"kind": "price", "asset": "$asset", "field": "close"}, "order": "asc"}, "limit": 1, "weighting": {"kind": "inverseVolatility", "window": {"bars": 3}}}}}, {"id": "s2", "name": "s2", "condition": {"lhs": {"kind": "price", "asset": "A", "field": "open"}, "op": ">", "rhs": {"kind": "sma", "asset": "A", "window": {"bars": 1}}}, "action": {"type": "rebalance", "weights": [{"asset": "A", "weight": 0.1}]}}]}, [{"gap": 1, "mask": 1, "moves": [-1, 0, 0, 0, 0, 0]}, {"gap": 1, "mask": 1, "moves": [0, -1, 0, 0, 0, 0]}, {"gap": 1, "mask": 1, "moves": [1, 0, 0, 0, 0, 0]}, {"gap": 1, "mask": 1, "moves": [-1, -2, 0, 0, 0, 0]}, {"gap": 1, "mask": 1, "moves": [-1, 2, 0, 0, 0, 0]}, {"gap": 1, "mask": 1, "moves": [0, -1, 0, 0, 0, 0]}, {"gap": 1, "mask": 1, "moves": [0, 0, 0, 0, 0, 0]}]];

/**
 * The shrunk counterexample of 'orders beyond market' at seed -1629934723: s1's limit buy fills and arms a
 * take-profit; s0 then signals a stop sell of all of it (1, fixed at the signal), and the take-profit closes
 * the position at the next open, before the stop can act.
 */
const STOP_AFTER_EXIT_CASE = [{"version":1,"name":"random orders","settings":{"universe":["A"],"timeframe":"1d","initialCash":1000,"fees":{"fraction":0.001,"perShare":0,"perOrder":0,"minimum":0},"slippage":{"bps":0,"fixed":0},"fillModel":"nextOpen","intrabar":"pessimistic","closeAtEnd":false,"units":"fractional","allowShort":false,"riskFreeRate":0,"sampling":"auto"},"parameters":{},"strategies":[{"id":"s0","name":"s0","condition":{"lhs":{"kind":"price","field":"volume"},"op":"=","rhs":4},"action":{"type":"sell","amount":{"unit":"all"},"entry":{"type":"stop","price":{"distance":0.25},"timeInForce":"gtc"}}},{"id":"s1","name":"s1","condition":{"lhs":{"kind":"price","field":"volume"},"op":"=","rhs":2},"action":{"type":"buy","amount":{"unit":"quantity","value":1},"entry":{"type":"limit","price":{"percent":1},"timeInForce":"gtc","expireAfterBars":2},"exits":{"takeProfit":{"atr":0.5,"window":{"bars":2}}}}}]},[{"gap":1,"moves":[0,0],"wick":[0,0,0,0,0,0],"openGap":0,"hasFiner":false},{"gap":1,"moves":[0,0],"wick":[0,0,0,0,0,0],"openGap":0,"hasFiner":false},{"gap":1,"moves":[0,0],"wick":[0,0,0,0,0,0],"openGap":-1,"hasFiner":false},{"gap":1,"moves":[1,0],"wick":[0,0,0,0,0,0],"openGap":0,"hasFiner":false},{"gap":1,"moves":[0,0],"wick":[0,0,0,1,0,0],"openGap":-1,"hasFiner":false},{"gap":1,"moves":[0,0],"wick":[0,0,0,0,0,0],"openGap":0,"hasFiner":false},{"gap":1,"moves":[0,0],"wick":[0,0,0,0,0,0],"openGap":0,"hasFiner":false},{"gap":1,"moves":[0,-1],"wick":[0,0,0,0,0,0],"openGap":0,"hasFiner":false}]];
