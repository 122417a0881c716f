/**
 * A deployment's journal records the engine version that created it, and a resume whose replay gives other
 * orders than the journal's names both versions (or says the journal was changed, or that an older journal
 * does not say which engine wrote it) instead of guessing.
 */
import { describe, expect, it } from 'vitest';
import { generateMinuteBars, resample } from '../../../src/data/index.ts';
import { ENGINE_VERSION } from '../../../src/engine/index.ts';
import { MemoryJournal, type JournalEntry } from '../../../src/live/journal.ts';
import { runPractice } from '../../../src/live/practice.ts';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';

function smaCross(): StrategyDocument {
  const sma = (bars: number) => ({ kind: 'sma', window: { bars } });
  const r = parseDocument({
    version: 1, name: 'cross', settings: { universe: ['X'], timeframe: '1d', initialCash: 10_000, units: 'whole' },
    strategies: [
      { id: 'up', name: 'up', condition: { lhs: sma(5), op: 'crossesAbove', rhs: sma(15) }, action: { type: 'setWeight', weight: 1 } },
      { id: 'down', name: 'down', condition: { lhs: sma(5), op: 'crossesBelow', rhs: sma(15) }, action: { type: 'setWeight', weight: 0 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

describe('the journal names the engine that wrote it', () => {
  const doc = smaCross();
  const bars = [resample(generateMinuteBars({ symbols: ['X'], years: 1, seed: 4, gaps: false })[0]!, '1d')];

  /** A finished practice run's journal, its deployment entry's engine version set to `version`, one step's orders changed. */
  async function tampered(version: string | undefined, changeOrders = true): Promise<MemoryJournal> {
    const whole = new MemoryJournal();
    await runPractice(doc, { bars }, { journal: whole });
    const entries: JournalEntry[] = structuredClone(whole.entries);
    const first = entries[0]!;
    if (first.type !== 'deployment') throw new Error('no deployment entry');
    expect(first.config.engineVersion).toBe(ENGINE_VERSION);
    if (version === undefined) delete first.config.engineVersion;
    else first.config.engineVersion = version;
    const step = entries.find((e) => e.type === 'step' && e.intents.length > 0);
    if (step === undefined || step.type !== 'step') throw new Error('no step with orders');
    if (changeOrders) step.intents[0]!.qty += 1;
    const journal = new MemoryJournal();
    await journal.append(entries.slice(0, entries.indexOf(step) + 1));
    return journal;
  }

  it('records the engine version in a new deployment', async () => {
    const journal = new MemoryJournal();
    await runPractice(doc, { bars }, { journal, maxSteps: 3 });
    const first = journal.entries[0]!;
    expect(first.type === 'deployment' && first.config.engineVersion).toBe(ENGINE_VERSION);
  });

  it('a replay that differs names both versions when another engine wrote the journal', async () => {
    await expect(runPractice(doc, { bars }, { journal: await tampered('0.0.1') }))
      .rejects.toThrow(`the journal was written by engine 0.0.1 and this is engine ${ENGINE_VERSION}`);
  });

  it('says the journal or the strategy changed when this engine wrote it, and that an older journal does not say', async () => {
    await expect(runPractice(doc, { bars }, { journal: await tampered(ENGINE_VERSION) })).rejects.toThrow('was the journal or the strategy changed?');
    await expect(runPractice(doc, { bars }, { journal: await tampered(undefined) })).rejects.toThrow('The journal does not say which engine wrote it');
  });

  it('resumes a journal another engine wrote when its replay gives the same orders', async () => {
    const p = await runPractice(doc, { bars }, { journal: await tampered('0.0.1', false) });
    expect(p.result().orders.length).toBeGreaterThan(0);
  });
});
