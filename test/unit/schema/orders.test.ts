/** Entries and exits in documents: what is refused, and where (JSON paths). */
import { describe, expect, it } from 'vitest';
import { parseDocument, usesOrderTypes } from '../../../src/schema/index.ts';

function docWith(action: Record<string, unknown>, settings: Record<string, unknown> = {}) {
  return { version: 1, name: 't', settings: { universe: ['A'], ...settings }, strategies: [{ id: 's', name: 's', action }] };
}
function errorsOf(action: Record<string, unknown>, settings: Record<string, unknown> = {}): string[] {
  const r = parseDocument(docWith(action, settings));
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}
const buy = { type: 'buy', amount: { unit: 'all' } };

describe('entries and exits', () => {
  it('accepts every order type and exit (document version 1: the change is additive)', () => {
    expect(errorsOf({
      ...buy,
      entry: { type: 'stopLimit', stop: { percent: 1 }, limit: { distance: 0.2 }, timeInForce: 'gtc', expireAfterBars: 5 },
      exits: { stopLoss: { atr: 2 }, takeProfit: { price: { kind: 'math', op: '*', args: [{ kind: 'price', field: 'close' }, 1.1] } }, trailingStop: { percent: 3, by: 'close' }, timeExit: { duration: '5d' } },
    }, { intrabar: 'finerData' })).toEqual([]);
    expect(errorsOf({ type: 'setWeight', weight: 0.5, exits: { timeExit: { bars: 10 } } })).toEqual([]);
  });

  it('refuses a negative trail, a limit without a price and a bad time in force, with the place', () => {
    expect(errorsOf({ ...buy, exits: { trailingStop: { percent: -2 } } })).toEqual(['strategies[0].action.exits.trailingStop.percent: expected a number > 0']);
    expect(errorsOf({ ...buy, entry: { type: 'limit' } }).join()).toMatch(/^strategies\[0\]\.action\.entry\.price: /);
    expect(errorsOf({ ...buy, entry: { type: 'limit', price: { percent: 1 }, timeInForce: 'week' } }).join()).toMatch(/^strategies\[0\]\.action\.entry\.timeInForce: /);
    expect(errorsOf({ ...buy, entry: { type: 'limit', price: { percent: 1 }, expireAfterBars: 3 } }))
      .toEqual(['strategies[0].action.entry.expireAfterBars: expireAfterBars needs timeInForce "gtc" (bar and day orders expire by themselves)']);
  });

  it("refuses a long's stop above its entry and a target below it (literal prices)", () => {
    expect(errorsOf({ ...buy, entry: { type: 'limit', price: { price: 100 } }, exits: { stopLoss: { price: 101 }, takeProfit: { price: 99 } } })).toEqual([
      "strategies[0].action.exits.stopLoss.price: a long's stop-loss (101) must be below its entry price (100)",
      "strategies[0].action.exits.takeProfit.price: a long's take-profit (99) must be above its entry price (100)",
    ]);
    expect(errorsOf({ type: 'sell', amount: { unit: 'all' }, entry: { type: 'stop', price: { price: 100 } }, exits: { stopLoss: { price: 99 } } }, { allowShort: true }))
      .toEqual(["strategies[0].action.exits.stopLoss.price: a short's stop-loss (99) must be above its entry price (100)"]);
  });

  it('refuses percentages that cross zero and exits on a short without allowShort', () => {
    expect(errorsOf({ ...buy, exits: { stopLoss: { percent: 100 } } })).toEqual(["strategies[0].action.exits.stopLoss.percent: a long's stop-loss of 100 % is at or below zero: expected less than 100"]);
    expect(errorsOf({ type: 'sell', amount: { unit: 'all' }, exits: { stopLoss: { percent: 5 } } }))
      .toEqual(['strategies[0].action.exits: exits attach to the short a sell opens: set settings.allowShort to true']);
  });

  it('refuses an unknown intrabar rule in settings', () => {
    expect(errorsOf(buy, { intrabar: 'random' }).join()).toMatch(/^settings\.intrabar: /);
  });

  it('usesOrderTypes: the predicate the fast path falls back on', () => {
    const ok = (a: Record<string, unknown>) => { const r = parseDocument(docWith(a)); if (!r.ok) throw new Error(); return usesOrderTypes(r.doc); };
    expect(ok(buy)).toBe(false);
    expect(ok({ ...buy, entry: { type: 'market' } })).toBe(false);
    expect(ok({ ...buy, entry: { type: 'stop', price: { percent: 1 } } })).toBe(true);
    expect(ok({ ...buy, exits: { timeExit: { bars: 3 } } })).toBe(true);
    expect(ok({ ...buy, exits: { timeExit: { sessionClose: true } } })).toBe(true);
    // closeAtEnd changes how a run ends (exit reason "end"): the fast path must not run it either.
    const end = parseDocument(docWith(buy, { closeAtEnd: true }));
    expect(end.ok && usesOrderTypes(end.doc)).toBe(true);
  });
});
