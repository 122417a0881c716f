import { describe, expect, it } from 'vitest';
import { createEngineService, PROGRESS_STEP, progressSteps } from '../../../src/engine/service.ts';
import { CANCEL_CHECK_STEPS } from '../../../src/engine/backtest.ts';
import { longMinuteRun } from '../pool/fixture.ts';
import { newProgressCell, readProgress } from '../../../src/lib/progress.ts';

/** Fractions a sink received are each PROGRESS_STEP or more past the one before. */
function expectSpaced(fractions: readonly number[]): void {
  for (let i = 1; i < fractions.length; i++) expect(fractions[i]! - fractions[i - 1]!).toBeGreaterThanOrEqual(PROGRESS_STEP);
}

describe('run progress (a worker reports it to the page)', () => {
  it('lets through only ticks that move the fraction by a step: 240 ticks (W2) become at most 50 reports', () => {
    const sent: number[] = [];
    const report = progressSteps((f) => sent.push(f));
    for (let k = 1; k <= 240; k++) report(k / 240);
    expect(sent.length).toBeLessThanOrEqual(1 / PROGRESS_STEP);
    expect(sent.length).toBeGreaterThan(40);
    expect(sent[0]).toBeGreaterThanOrEqual(PROGRESS_STEP);
    expectSpaced([0, ...sent]);
    // Ticks coarser than a step all go through.
    const coarse: number[] = [];
    const r2 = progressSteps((f) => coarse.push(f));
    for (let k = 1; k <= 10; k++) r2(k / 10);
    expect(coarse).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k / 10));
  });

  it('a service run reports 0 first, then fractions a step apart, fewer than its cancel-check ticks', () => {
    const { doc, bars } = longMinuteRun(3);
    const service = createEngineService();
    const got: number[] = [];
    service.setProgressSink((id, f) => { expect(id).toBe(7); got.push(f); });
    service.load('d', { bars });
    const r = service.run({ id: 7, dataId: 'd', doc, audit: false });
    expect(r.engine).toBe('fast');
    const ticks = Math.floor(bars[0]!.length / CANCEL_CHECK_STEPS);
    expect(ticks).toBeGreaterThan(60); // enough ticks that the steps thin them
    expect(got[0]).toBe(0);
    expect(got.length).toBeGreaterThan(10);
    expect(got.length).toBeLessThan(ticks);
    expect(got.length).toBeLessThanOrEqual(1 / PROGRESS_STEP + 1);
    expectSpaced(got);
  });

  it('with a progress cell (the pool\'s shared mode) a run sends only its first report and writes the rest to the cell', () => {
    const { doc, bars } = longMinuteRun(3);
    const service = createEngineService();
    const got: number[] = [];
    service.setProgressSink((_, f) => { got.push(f); });
    service.load('d', { bars });
    const cell = newProgressCell();
    service.run({ id: 7, dataId: 'd', doc, audit: false, progress: cell });
    expect(got).toEqual([0]);
    // The run's last report (runBacktest's, at its end) is the whole run.
    expect(readProgress(cell)).toBe(1);
  });
});
