/**
 * Curves sampled at every step (daily bars, or sampling 'bar') are built by bulk copies plus one pass for
 * drawdown and the benchmark (result.ts everyStep, wave 5). Pinned against the definitions written out here:
 * drawdown from the running peak of every step, the benchmark rebased to the initial cash at its first
 * valid price, NaN before it.
 */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../../src/engine/recorder.ts';
import { sampleCurves } from '../../../src/engine/result.ts';
import type { Settings } from '../../../src/schema/index.ts';

describe('sampleCurves at every step', () => {
  it('copies time and equity and computes drawdown and the rebased benchmark of each step', () => {
    const r = new Recorder(4);
    const equity = [100, 110, 99, 121, 108.9, 130];
    const bench = [NaN, 0, 20, 25, 22, 30];
    equity.forEach((e, i) => r.push(1_000 + i, e, 1, bench[i]!));
    const settings = { sampling: 'bar', timeframe: '1d', initialCash: 1000 } as Settings;
    const c = sampleCurves({ recorder: r, settings });
    expect([...c.time]).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect([...c.equity]).toEqual(equity);
    expect([...c.drawdown]).toEqual([0, 0, 99 / 110 - 1, 0, 108.9 / 121 - 1, 0]);
    expect([...c.benchmark]).toEqual([NaN, 0, 1000, 25 / 20 * 1000, 22 / 20 * 1000, 30 / 20 * 1000]);
    // The copies are the result's own: the recorder is reused by the next run.
    r.equity[0] = -1;
    expect(c.equity[0]).toBe(100);
  });
});
