import { describe, expect, it } from 'vitest';
import { chargeFaults, workloadSummary } from '../../bench/summary.ts';

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

  it('prefers a row marked canonical (Node: W1 per thread over sweep candidates) to the first W1 row', () => {
    const summary = workloadSummary({
      'engine (Node, one thread)': {
        W1: { engine: 'fast', msPerRun: 0.31, runsPerSecond: 3200, floorRatio: 66 },
        'W1 reference': { msPerRun: 0.66, floorRatio: 140 },
        'W1 per thread, sweep candidates (stats only, shared columns)': { engine: 'fast', msPerRun: 0.2, runsPerSecond: 5000, floorRatio: 43, canonical: true },
      },
    });
    expect(summary.W1).toMatchObject({ runsPerSecond: 5000, canonical: true, row: 'W1 per thread, sweep candidates (stats only, shared columns)' });
  });
});

describe('bench rows: page faults charged at the measured µs per fault', () => {
  it('adds faultMs to rows that counted faults and secondsLessFaults to timed ones, and leaves the others alone', () => {
    const rows = {
      'W2 store → results': { seconds: 1.5, pageFaults: 50_000 },
      'W2 part: read': { ms: 400, pageFaults: 20_000 },
      floor: { mib: 64, firstMsPerMiB: 2.6 },
    };
    chargeFaults(rows, 10);
    expect(rows['W2 store → results']).toEqual({ seconds: 1.5, pageFaults: 50_000, usPerFault: 10, faultMs: 500, secondsLessFaults: 1 });
    expect(rows['W2 part: read']).toEqual({ ms: 400, pageFaults: 20_000, usPerFault: 10, faultMs: 200 });
    expect(rows.floor).toEqual({ mib: 64, firstMsPerMiB: 2.6 });
  });

  it('charges nothing without a per-fault figure (no fault counted when it was measured)', () => {
    const rows = { W2: { seconds: 1.5, pageFaults: 50_000 } };
    chargeFaults(rows, NaN);
    expect(rows.W2).toEqual({ seconds: 1.5, pageFaults: 50_000 });
  });
});
