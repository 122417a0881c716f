import { describe, expect, it } from 'vitest';
import { workloadSummary } from '../../bench/summary.ts';

describe('bench JSON: top-level W1–W3 rows', () => {
  it('takes the first row of a workload with a floorRatio, and for W3 the all-cores row (issue 17: W3.seconds on every core)', () => {
    const summary = workloadSummary({
      'engine (Node, one thread)': {
        W1: { msPerRun: 0.5, floorRatio: 100 },
        'W1 reference': { msPerRun: 0.7, floorRatio: 140 },
        W3: { secondsPerRun: 0.08, seconds: 80, projected: true, threads: 1, floorRatio: 40 },
        'W3 reference': { secondsPerRun: 0.2, floorRatio: 100 },
      },
      optimize: {
        'W1 genetic 1,000, in-process': { evaluations: 1000, seconds: 1 },
        'W3 sample, pool ×2': { seconds: 45, projected: true, allCores: true, floorRatio: 22.5 },
        'W3 sample, in-process': { seconds: 90, floorRatio: 45 },
      },
    });
    expect(summary.W1).toEqual({ msPerRun: 0.5, floorRatio: 100, row: 'W1' });
    expect(summary.W3).toEqual({ seconds: 45, projected: true, allCores: true, floorRatio: 22.5, row: 'W3 sample, pool ×2' });
    expect(summary.W2).toBeUndefined();
  });
});
