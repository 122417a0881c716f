/**
 * explain(time) on live history: replaying a deployment's journal up to a step gives the condition trees the
 * deployment recorded for its signals there, and the same explanation as the backtest's explain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explain } from '../../../src/engine/index.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { runPractice } from '../../../src/live/practice.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { dataArb, docArbWith, toBars } from '../../helpers/random-documents.ts';
import { tradable } from '../../helpers/tradable.ts';

describe('LiveProcessor.explain', () => {
  it('equals the recorded trace of every live signal, and the backtest explain at every signal time (random documents and bars)', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(docArbWith(['nextOpen']), dataArb, async (doc, steps) => {
        const cols = toBars(steps);
        if (!tradable(doc, cols)) return;
        const journal = new MemoryJournal();
        const signals = (await runPractice(doc, { bars: cols }, { journal })).result().signals;
        const first = journal.entries.find((e) => e.type === 'step')!;
        expect(() => LiveProcessor.explain(journal.entries, (first as { time: number }).time - 1, true)).toThrow(/no step at or before/);
        for (const s of signals.slice(0, 5)) {
          const got = LiveProcessor.explain(journal.entries, s.time, true);
          const mine = got.find((x) => x.strategyId === s.strategyId)!;
          expect(mine.fired).toBe(true);
          expect(mine.trace).toEqual(s.trace);
          expect(got).toEqual(explain(doc, { bars: cols }, s.time, { sizing: 'signal' }));
          checked++;
        }
      }),
      { numRuns: 40 },
    );
    expect(checked).toBeGreaterThan(0);
  });

  it('refuses a state with no deployment, and a time before the first step', () => {
    expect(() => LiveProcessor.explain([], 0, true)).toThrow(/deployment entry/);
  });
});
