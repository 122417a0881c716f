/**
 * Regression (found by the Live page's reload test): a practice deployment stopped after a step's orders were
 * journaled but before they were sent resumed by sending them only after the next bar — one bar late, so its
 * fills differed from the backtest's. Resumed from a journal cut right after such a step, it must end exactly
 * like the uninterrupted run, with each order sent once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { runPractice } from '../../../src/live/practice.ts';
import { dataArb, docArbWith, toBars } from '../../helpers/random-documents.ts';
import { tradable } from '../../helpers/tradable.ts';

describe('practice resumes after a stop between journaling and sending', () => {
  it('sends the journaled orders at the market they were made for (random documents and bars)', async () => {
    let cut = 0;
    await fc.assert(
      fc.asyncProperty(docArbWith(['nextOpen']), dataArb, fc.nat(), async (doc, steps, pick) => {
        const cols = toBars(steps);
        if (!tradable(doc, cols)) return;
        const whole = new MemoryJournal();
        const a = (await runPractice(doc, { bars: cols }, { journal: whole })).result();
        const withOrders = whole.entries.flatMap((e, i) => (e.type === 'step' && e.intents.length > 0 ? [i] : []));
        if (withOrders.length === 0) return;
        const at = withOrders[pick % withOrders.length]!;
        const journal = new MemoryJournal();
        await journal.append(whole.entries.slice(0, at + 1));
        const b = (await runPractice(doc, { bars: cols }, { journal })).result();
        expect(b.orders).toEqual(a.orders);
        expect(b.trades).toEqual(a.trades);
        expect(b.curves).toEqual(a.curves);
        const sent = journal.entries.flatMap((e) => (e.type === 'sent' ? [e.clientOrderId] : []));
        expect(new Set(sent).size).toBe(sent.length);
        cut++;
      }),
      { numRuns: 60 },
    );
    expect(cut).toBeGreaterThan(10);
  });
});
