import { beforeEach, describe, expect, it } from 'vitest';
import { appendEvents, closeLiveDb, deleteDeployment, IdbJournal, readEvents } from '../../../src/live/browser/idb-journal.ts';
import type { JournalEntry } from '../../../src/live/journal.ts';

const step = (time: number): JournalEntry => ({ type: 'step', time, bars: [{ symbol: 'SPY', time, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }], updates: [], intents: [], refusal: null });

describe('IndexedDB live journal', () => {
  beforeEach(async () => {
    await deleteDeployment('j1');
    await deleteDeployment('j2');
  });

  it('appends in order, keeps deployments apart, and reads the same entries back over a new connection', async () => {
    const a = new IdbJournal('j1'), b = new IdbJournal('j2');
    await a.append([step(1), step(2)]);
    await b.append([step(100)]);
    await a.append([{ type: 'sent', clientOrderId: 'j1-1', brokerId: 'x' }]);
    await closeLiveDb();
    const again = new IdbJournal('j1');
    expect(await again.read()).toEqual([step(1), step(2), { type: 'sent', clientOrderId: 'j1-1', brokerId: 'x' }]);
    expect(await new IdbJournal('j2').read()).toEqual([step(100)]);
  });

  it('a batch that cannot be stored leaves nothing of itself behind, and the journal goes on after it', async () => {
    const j = new IdbJournal('j1');
    await j.append([step(1)]);
    const bad = { type: 'event', event: { type: 'error', time: 0, where: 'x', message: (() => 'a function cannot be cloned') as unknown as string } } as JournalEntry;
    await expect(j.append([step(2), bad, step(3)])).rejects.toThrow(/nothing of this write was kept/);
    expect(await j.read()).toEqual([step(1)]);
    await j.append([step(4)]);
    expect(await j.read()).toEqual([step(1), step(4)]);
  });

  it('two writers appending at once never interleave or lose a batch', async () => {
    const x = new IdbJournal('j1'), y = new IdbJournal('j1');
    await Promise.all([x.append([step(1), step(2), step(3)]), y.append([step(10), step(20)])]);
    const times = (await x.read()).map((e) => (e as { time: number }).time);
    expect(times.length).toBe(5);
    const s = times.join(',');
    expect(['1,2,3,10,20', '10,20,1,2,3']).toContain(s);
  });

  it('events: appended per deployment, the last N read back oldest first, deleted with the deployment', async () => {
    await appendEvents('j1', [1, 2, 3, 4].map((t) => ({ type: 'control', time: t, action: 'pause', detail: 'pause' }) as const));
    expect((await readEvents('j1', 2)).map((e) => e.time)).toEqual([3, 4]);
    await deleteDeployment('j1');
    expect(await readEvents('j1', 10)).toEqual([]);
  });
});
