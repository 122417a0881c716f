/**
 * Hand-computed runs of timeExit {sessionClose: true} (issue #12): the position closes at the close of the
 * last bar of its exchange session. Minute bars of A in New York time, cash 1000, no costs; a strategy
 * fires on the bar whose volume is 1; bars are [time, open, high, low, close, volume]. Every run also goes
 * through the replay processor.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest, runReplay } from '../../../src/engine/index.ts';
import { parseDocument, type BarColumns, type SettingsInput } from '../../../src/schema/index.ts';
import { bars, type BarRow } from '../../helpers/bars.ts';
import { close9, day, doc, expectOrder, on } from './helpers.ts';

const NY_JAN = 5 * 3_600_000; // EST: UTC−5
const NY_JUL = 4 * 3_600_000; // EDT: UTC−4
/** UTC time of a New York wall time on a 2024 date. */
const ny = (month: number, d: number, hhmm: string, offset = month >= 3 && month <= 10 ? NY_JUL : NY_JAN) =>
  Date.UTC(2024, month - 1, d, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3))) + offset;
const flat = (t: number, px: number, v = 0): BarRow => [t, px, px, px, px, v];

function go(rows: BarRow[], settings: Partial<SettingsInput> = {}) {
  const d = doc({ timeframe: '1m', ...settings }, [on(1, { type: 'buy', amount: { unit: 'all' }, exits: { timeExit: { sessionClose: true } } })]);
  const data = { bars: [bars('A', rows, '1m')] as BarColumns[] };
  const r = runBacktest(d, data);
  const replayed = runReplay(d, data);
  expect(replayed.trades).toEqual(r.trades);
  expect(replayed.orders).toEqual(r.orders);
  return r;
}

describe('time exit at the session close', () => {
  it('closes at the close of the day\'s last bar (15:59), not at the next session\'s open', () => {
    const r = go([flat(ny(1, 2, '15:57'), 10, 1), [ny(1, 2, '15:58'), 10, 10.5, 9.9, 10.2, 0], [ny(1, 2, '15:59'), 10.2, 10.4, 10.1, 10.3, 0], flat(ny(1, 3, '09:30'), 11)]);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ quantity: 100, entryPrice: 10, entryTime: ny(1, 2, '15:58'), exitPrice: 10.3, exitTime: ny(1, 2, '15:59'), exitReason: 'time' });
    close9(r.trades[0]!.pnl, 30, 'pnl');
    expectOrder(r.orders[1], { type: 'timeExit', side: 'sell', fillPrice: 10.3, filledQuantity: 100, status: 'filled', parentId: 1 });
  });

  it('a half day closes at its last bar (12:59 on 2024-07-03)', () => {
    const r = go([flat(ny(7, 3, '12:58'), 20, 1), flat(ny(7, 3, '12:59'), 20), flat(ny(7, 5, '09:30'), 25), flat(ny(7, 5, '15:59'), 26)]);
    expect(r.trades[0]).toMatchObject({ quantity: 50, entryPrice: 20, exitPrice: 20, exitTime: ny(7, 3, '12:59'), exitReason: 'time' });
  });

  it('a session whose last minutes are missing closes at its last stored bar; a halt inside the session does not close it', () => {
    const missing = go([flat(ny(1, 2, '15:50'), 10, 1), flat(ny(1, 2, '15:51'), 10), flat(ny(1, 3, '09:30'), 12)]);
    expect(missing.trades[0]).toMatchObject({ exitPrice: 10, exitTime: ny(1, 2, '15:51'), exitReason: 'time' });
    const halt = go([flat(ny(1, 2, '10:58'), 10, 1), flat(ny(1, 2, '10:59'), 10), flat(ny(1, 2, '11:30'), 9), flat(ny(1, 2, '15:59'), 11), flat(ny(1, 3, '09:30'), 12)]);
    expect(halt.trades[0]).toMatchObject({ exitPrice: 11, exitTime: ny(1, 2, '15:59'), exitReason: 'time' });
    close9(halt.trades[0]!.pnl, 100, 'pnl');
  });

  it('a signal on the last bar fills at the next session\'s open and closes at that session\'s close', () => {
    const r = go([flat(ny(1, 2, '15:59'), 10, 1), flat(ny(1, 3, '09:30'), 10), flat(ny(1, 3, '09:31'), 10.5), flat(ny(1, 4, '09:30'), 12)]);
    expect(r.trades[0]).toMatchObject({ entryTime: ny(1, 3, '09:30'), exitTime: ny(1, 3, '09:31'), exitPrice: 10.5 });
  });

  it('close fill model: filled at a close, closed at the session\'s last close; an entry at the last close waits for the next session', () => {
    const r = go([flat(ny(1, 2, '15:58'), 10, 1), flat(ny(1, 2, '15:59'), 10.4), flat(ny(1, 3, '09:30'), 12)], { fillModel: 'close' });
    expect(r.trades[0]).toMatchObject({ entryPrice: 10, entryTime: ny(1, 2, '15:58'), exitPrice: 10.4, exitTime: ny(1, 2, '15:59'), exitReason: 'time' });
    const last = go([flat(ny(1, 2, '15:59'), 10, 1), flat(ny(1, 3, '09:30'), 11), flat(ny(1, 3, '15:59'), 12), flat(ny(1, 4, '09:30'), 13)], { fillModel: 'close' });
    expect(last.trades[0]).toMatchObject({ entryTime: ny(1, 2, '15:59'), exitPrice: 12, exitTime: ny(1, 3, '15:59') });
  });

  it('the stop still fires first inside the session', () => {
    const d = doc({ timeframe: '1m' }, [on(1, { type: 'buy', amount: { unit: 'all' }, exits: { stopLoss: { percent: 5 }, timeExit: { sessionClose: true } } })]);
    const r = runBacktest(d, { bars: [bars('A', [flat(ny(1, 2, '15:57'), 10, 1), [ny(1, 2, '15:58'), 10, 10, 9.4, 9.6, 0], flat(ny(1, 2, '15:59'), 9.6), flat(ny(1, 3, '09:30'), 9)], '1m')] });
    expect(r.trades[0]).toMatchObject({ exitPrice: 9.5, exitReason: 'stop', exitTime: ny(1, 2, '15:58') });
  });

  it('daily bars: the session is the day, so a position opened at the open closes at that day\'s close', () => {
    const r = runBacktest(doc({}, [on(1, { type: 'buy', amount: { unit: 'all' }, exits: { timeExit: { sessionClose: true } } })]),
      { bars: [bars('A', [flat(day(1), 10, 1), [day(2), 10, 11, 9, 10.8, 0], flat(day(3), 12)])] });
    expect(r.trades[0]).toMatchObject({ entryTime: day(2), exitTime: day(2), exitPrice: 10.8, exitReason: 'time' });
  });

  it('the schema takes {sessionClose: true} and refuses anything else there', () => {
    const base = { version: 1, name: 't', settings: { universe: ['A'] } };
    const with_ = (timeExit: unknown) => parseDocument({ ...base, strategies: [{ id: 's', name: 's', action: { type: 'buy', amount: { unit: 'all' }, exits: { timeExit } } }] });
    expect(with_({ sessionClose: true }).ok).toBe(true);
    const bad = with_({ sessionClose: false });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.path).toMatch(/^strategies\[0\]\.action\.exits\.timeExit/);
  });
});
