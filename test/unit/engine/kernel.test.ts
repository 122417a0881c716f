/**
 * The event loop's semantics on tiny data: alerts, the warm-up before settings.range.from, multi-asset
 * as-of values and strategies that are not evaluated, calendar fields, sinceSignal, step series known at
 * a time, the condition trace carried by signals, and explain(time).
 */
import { describe, expect, it } from 'vitest';
import { explain, runBacktest } from '../../../src/engine/index.ts';
import type { StepSeries } from '../../../src/schema/index.ts';
import { bars, ocBars } from '../../helpers/bars.ts';
import { day, doc, on, run } from './helpers.ts';

const alert = (message: string) => ({ type: 'alert', message }) as const;
const closes = (symbol: string, cs: number[], first = 1) => ocBars(symbol, cs.map((c, i) => [day(first + i), c, c, 0] as const));

describe('alert', () => {
  it('records a signal event with its message and no order', () => {
    const r = run(doc({}, [on(1, alert('hello'))]), ocBars('A', [[day(1), 10, 10, 0], [day(2), 10, 10, 1]]));
    expect(r.orders).toEqual([]);
    expect(r.signals).toHaveLength(1);
    expect(r.signals[0]).toMatchObject({ time: day(2), strategyId: 's1', action: 'alert', message: 'hello', orderIds: [], weights: null });
  });
});

describe('warm-up (settings.range.from)', () => {
  const A = closes('A', [1, 2, 3, 4, 5, 6]);
  const strategies = [
    { id: 'tick', action: { type: 'buy', amount: { unit: 'quantity', value: 1 } } } as const,
    { id: 'above', condition: { lhs: { kind: 'price', field: 'close' }, op: '>', rhs: { kind: 'sma', window: { bars: 3 } } }, action: alert('up') } as const,
  ];

  it('feeds indicators before the start but never trades or records there', () => {
    const r = run(doc({ range: { from: '2024-01-04' } }, [...strategies]), A);
    // Nothing before day 4: the first signal, order and recorded step are day 4.
    expect(r.signals.map((s) => [s.strategyId, s.time])).toEqual([
      ['tick', day(4)], ['above', day(4)], ['tick', day(5)], ['above', day(5)], ['tick', day(6)], ['above', day(6)],
    ]);
    expect(r.orders[0]!.createdTime).toBe(day(4));
    expect([...r.curves.time]).toEqual([day(4), day(5), day(6)]);
    expect(r.eventCount).toBe(6);
    expect(r.stats.startTime).toBe(day(4));
    // SMA(3) on day 4 is (2 + 3 + 4) / 3 = 3: the bars before the start fed it.
    const trace = r.signals[1]!.trace;
    expect(trace).toMatchObject({ type: 'compare', op: '>', lhs: { label: 'close of A', value: 4 }, rhs: { label: 'SMA(3) of A', value: 3 }, result: true });
    // Two bars before day 4 are enough for SMA(3) to be ready on day 4.
    expect(r.warnings).toEqual([]);
  });

  it('warns, naming the indicator and the missing bars, when history is too short', () => {
    const r = run(doc({ range: { from: '2024-01-02' } }, [...strategies]), A);
    // One bar before the start; SMA(3) needs two more before the first tradable bar: 1 missing, ready on day 3.
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('SMA(3) of A');
    expect(r.warnings[0]).toContain('1 missing');
    expect(r.warnings[0]).toContain('2024-01-03');
  });

  it('explain says a signal before the start is not traded', () => {
    const d = doc({ range: { from: '2024-01-04' } }, [...strategies]);
    const ex = explain(d, { bars: [A] }, day(3));
    expect(ex.map((e) => [e.strategyId, e.evaluated, e.fired])).toEqual([['tick', true, false], ['above', true, false]]);
    expect(ex[0]!.reason).toMatch(/warm-up/);
  });
});

describe('multi-asset as-of semantics', () => {
  // B has no bar on day 2.
  const A = ocBars('A', [[day(1), 10, 10, 0], [day(2), 12, 12, 0], [day(3), 14, 14, 0]]);
  const B = ocBars('B', [[day(1), 11, 11, 1], [day(3), 12.5, 13, 0]]);
  const d = doc({ universe: ['A', 'B'] }, [
    { id: 'onB', condition: { lhs: { kind: 'price', asset: 'B', field: 'close' }, op: '>', rhs: 0 }, action: alert('b') },
    { id: 'cmp', condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: '>', rhs: { kind: 'price', asset: 'B', field: 'close' } }, action: alert('a>b') },
    on(1, { type: 'buy', asset: 'B', amount: { unit: 'quantity', value: 1 } }, 'B', 'buyB'),
  ]);

  it('an asset with no bar keeps its last value; a strategy whose assets have no new bar is not evaluated', () => {
    const r = run(d, A, B);
    expect(r.signals.map((s) => [s.strategyId, s.time])).toEqual([
      ['onB', day(1)], ['buyB', day(1)], ['cmp', day(2)], ['onB', day(3)], ['cmp', day(3)],
    ]);
    // Day 2: A 12 against B's last close 11.
    expect(r.signals[2]!.trace).toMatchObject({ lhs: { value: 12 }, rhs: { label: 'close of B', value: 11 }, result: true });
    // nextOpen: B's order from day 1 waits for B's next bar (day 3, open 12.5), not day 2.
    expect(r.orders[0]).toMatchObject({ symbol: 'B', status: 'filled', fillTime: day(3), fillPrice: 12.5 });
    // Equity day 3: 1000 − 12.5 + 13 = 1000.5.
    expect([...r.curves.equity]).toEqual([1000, 1000, 1000.5]);
  });

  it('explain(time) says why each strategy did or did not act', () => {
    const ex = explain(d, { bars: [A, B] }, day(2) + 3_600_000); // the last bar at or before is day 2
    expect(ex.map((e) => [e.time, e.strategyId, e.evaluated, e.fired])).toEqual([
      [day(2), 'onB', false, false], [day(2), 'cmp', true, true], [day(2), 'buyB', false, false],
    ]);
    expect(ex[0]!.reason).toMatch(/not evaluated/);
    expect(ex[1]!.reason).toBe('condition true: alert fired');
    expect(ex[1]!.trace).toMatchObject({ type: 'compare', result: true, rhs: { value: 11 } });
    const day1 = explain(d, { bars: [A, B] }, day(1));
    expect(day1.find((e) => e.strategyId === 'cmp')).toMatchObject({ evaluated: true, fired: false, reason: 'condition false', trace: { result: false, lhs: { value: 10 }, rhs: { value: 11 } } });
  });
});

describe('calendar', () => {
  const firstOfMonth = { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 } as const;

  it('daily bars (session dates) fire firstBarOfMonth on the first session of the month, any time zone', () => {
    // 2024-01-30 (Tue), 01-31, 02-01 (Thu), 02-02; the first bar seen counts as a month's first.
    const A = ocBars('A', ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02'].map((t) => [t, 10, 10, 0] as const));
    for (const timezone of ['America/New_York', 'UTC', 'Asia/Tokyo']) {
      const r = run(doc({ timezone }, [
        { id: 'month', condition: firstOfMonth, action: alert('m') },
        { id: 'thu', condition: { lhs: { kind: 'calendar', field: 'dayOfWeek' }, op: '=', rhs: 4 }, action: alert('t') },
      ]), A);
      expect(r.signals.map((s) => [s.strategyId, new Date(s.time).toISOString().slice(0, 10)]), timezone).toEqual([
        ['month', '2024-01-30'], ['month', '2024-02-01'], ['thu', '2024-02-01'],
      ]);
    }
  });

  it('intraday bars use the exchange time zone', () => {
    // 20:59Z Jan 31 = 15:59 New York; 03:00Z Feb 1 = 22:00 Jan 31 New York; 14:30Z Feb 1 = 09:30 Feb 1.
    const times = ['2024-01-31T20:59:00Z', '2024-02-01T03:00:00Z', '2024-02-01T14:30:00Z', '2024-02-01T14:31:00Z'];
    const A = bars('A', times.map((t) => [t, 10, 10, 10, 10, 0] as const), '1m');
    const r = run(doc({ timeframe: '1m', timezone: 'America/New_York' }, [
      { id: 'month', condition: firstOfMonth, action: alert('m') },
      { id: 'open', condition: { lhs: { kind: 'calendar', field: 'minuteOfDay' }, op: '=', rhs: 570 }, action: alert('09:30') },
    ]), A);
    expect(r.signals.map((s) => [s.strategyId, new Date(s.time).toISOString()])).toEqual([
      ['month', '2024-01-31T20:59:00.000Z'], ['month', '2024-02-01T14:30:00.000Z'], ['open', '2024-02-01T14:30:00.000Z'],
    ]);
  });
});

describe('sinceSignal', () => {
  it('counts steps since the strategy last fired (Infinity before it ever did)', () => {
    const r = run(doc({}, [{ condition: { lhs: { kind: 'sinceSignal', unit: 'bars' }, op: '>=', rhs: 2 }, action: alert('x') }]), closes('A', [1, 1, 1, 1, 1]));
    // Day 1: never fired → ∞ ≥ 2; day 2: 1; day 3: 2 → fires; day 4: 1; day 5: 2 → fires.
    expect(r.signals.map((s) => s.time)).toEqual([day(1), day(3), day(5)]);
    expect(r.signals[0]!.trace).toMatchObject({ lhs: { value: Infinity } });
    expect(r.signals[1]!.trace).toMatchObject({ lhs: { label: "bars since this strategy's last signal", value: 2 } });
  });

  it('in days, and of another strategy', () => {
    const r = run(doc({}, [
      { id: 'a', condition: { lhs: { kind: 'price', field: 'close' }, op: '>', rhs: 4 }, action: alert('a') },
      { id: 'b', condition: { lhs: { kind: 'sinceSignal', strategy: 'a', unit: 'days' }, op: '=', rhs: 2 }, action: alert('b') },
    ]), ocBars('A', [[day(1), 5, 5, 0], [day(3), 1, 1, 0], [day(4), 1, 1, 0]]));
    // a fires on day 1; b sees 0 days on day 1, 2 days on day 3, 3 days on day 4.
    expect(r.signals.map((s) => [s.strategyId, s.time])).toEqual([['a', day(1)], ['b', day(3)]]);
  });
});

describe('named step series', () => {
  it('are read as of the time each value became known', () => {
    const score: StepSeries = { name: 'score', symbol: 'A', length: 2, time: Float64Array.of(day(2) + 43_200_000, day(4)), value: Float64Array.of(5, 1) };
    const d = doc({}, [{ condition: { lhs: { kind: 'series', name: 'score' }, op: '>', rhs: 3 }, action: alert('s') }]);
    const r = runBacktest(d, { bars: [closes('A', [1, 1, 1, 1, 1])], series: [score] });
    // 5 became known at noon on day 2: first seen on day 3; replaced by 1 on day 4.
    expect(r.signals.map((s) => s.time)).toEqual([day(3)]);
    expect(r.signals[0]!.trace).toMatchObject({ lhs: { label: 'score of A', value: 5 } });
  });
});

describe('signal events carry the full condition trace', () => {
  it('every node with its operands, crossings with their previous values', () => {
    const d = doc({}, [{
      condition: { all: [
        { lhs: { kind: 'price', field: 'close' }, op: 'crossesAbove', rhs: { kind: 'sma', window: { bars: 2 } } },
        { not: { lhs: { kind: 'cash' }, op: '<', rhs: 500 } },
      ] },
      action: alert('x'),
    }]);
    // SMA(2): –, 2.5, 1.5, 2.5. Close ≤ SMA on days 2–3, above on day 4: a crossing with previous (1, 1.5).
    const r = run(d, closes('A', [3, 2, 1, 4]));
    expect(r.signals).toHaveLength(1);
    expect(r.signals[0]!.time).toBe(day(4));
    expect(r.signals[0]!.trace).toEqual({
      type: 'all', result: true, children: [
        { type: 'compare', op: 'crossesAbove', lhs: { label: 'close of A', value: 4 }, rhs: { label: 'SMA(2) of A', value: 2.5 }, prevLhs: 1, prevRhs: 1.5, result: true },
        { type: 'not', result: true, children: [{ type: 'compare', op: '<', lhs: { label: 'cash', value: 1000 }, rhs: { label: '500', value: 500 }, result: false }] },
      ],
    });
  });
});
