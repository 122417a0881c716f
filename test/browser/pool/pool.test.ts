import { describe, expect, it } from 'vitest';
import type { BarColumns } from '../../../src/schema/index.ts';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { chartOverlays } from '../../../src/engine/overlays.ts';
import { compile } from '../../../src/strategy/index.ts';
import { crossDoc, crossDocBothAssets, dailyBars, longMinuteRun, paramSets, closedAfterEach, asPoolRun } from '../../unit/pool/fixture.ts';
import { browserPool } from './spawn.ts';

const pool = closedAfterEach(browserPool);

describe('engine pool in Chromium workers', () => {
  it('a batch over 3 workers equals 1 worker, the copy fallback and in-page runs', async () => {
    expect(crossOriginIsolated).toBe(true);
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const reqs = paramSets(15).map((params) => ({ doc, data, params }));
    const one = pool({ size: 1 }), three = pool({ size: 3 }), copy = pool({ size: 2, share: false });
    expect([one.shared, three.shared, copy.shared]).toEqual([true, true, false]);
    const a = await one.runBatch(reqs);
    const [b, c] = await Promise.all([three.runBatch(reqs), copy.runBatch(reqs)]);
    expect(three.workers).toBe(3);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    for (const i of [0, 7, 14]) expect(asPoolRun(a[i]!)).toEqual(asPoolRun(runBacktest(doc, data, { params: reqs[i]!.params })));
    expect(new Set(a.map((r) => r.stats.finalEquity)).size).toBeGreaterThan(3);
    // Curves arrive as their own (transferred) buffers, not views of something shared.
    expect(a[0]!.curves.equity.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('results as columns: signals carry no trace, and the worker explains each one to the stored tree', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const p = pool({ size: 1 });
    const got = await p.run({ doc, data });
    const stored = runBacktest(doc, data);
    expect(asPoolRun(got)).toEqual(asPoolRun(stored));
    expect(got.signals.length).toBeGreaterThan(5);
    for (const [i, s] of got.signals.entries()) {
      expect(s.trace).toBeUndefined();
      const e = (await p.explain({ doc, data }, s.time)).find((x) => x.strategyId === s.strategyId);
      expect(e?.trace).toEqual(stored.signals[i]!.trace);
    }
    expect(await p.run({ doc, data, audit: true })).toEqual(stored);
  });

  it('columns once, shared: a run\'s indicator columns are computed once over the pool, spread by asset; copy mode computes per worker', async () => {
    const { doc, bars } = longMinuteRun(0.1);
    const data = { bars };
    const indicators = compile(doc).indicators.length;
    const computed = (cs: { computed: number }[]) => cs.reduce((n, c) => n + c.computed, 0);
    const p = pool({ size: 2, spreadColumnsFrom: 0 });
    const got = await p.run({ doc, data });
    // An in-page run with its own cache takes the same engine (fast) as a worker with a data set's columns.
    expect(asPoolRun(got)).toEqual(asPoolRun(runBacktest(doc, data, { indicatorCache: new IndicatorCache() })));
    const counts = await p.columnCounts(data);
    expect(counts.length).toBe(2);
    // Every column computed exactly once in the pool, by both workers (each its share of the assets) ...
    expect(computed(counts)).toBe(indicators);
    expect(counts.every((c) => c.computed > 0)).toBe(true);
    // ... and the running worker was given the other's share rather than computing it.
    expect(counts.some((c) => c.seeded > 0)).toBe(true);
    // Again (either worker may take it): same result, nothing computed anew.
    expect(await p.run({ doc, data })).toEqual(got);
    expect(computed(await p.columnCounts(data))).toBe(indicators);
    // Without shared memory each worker computes its own columns (the fallback).
    const copy = pool({ size: 2, share: false, spreadColumnsFrom: 0 });
    expect(await copy.run({ doc, data })).toEqual(got);
    expect(await copy.columnCounts(data)).toEqual([{ computed: indicators, seeded: 0 }]);
  });

  it('chart overlays on the same bars with more fields take a run\'s indicator columns from its data set (base) instead of computing them', async () => {
    const doc = crossDocBothAssets();
    const full = dailyBars();
    // The run's data set as the app loads it: only the fields the plan reads, the others NaN.
    const nan = (b: BarColumns) => new Float64Array(b.length).fill(NaN);
    const pruned = { bars: full.map((b) => ({ ...b, high: nan(b), low: nan(b), volume: nan(b) })) };
    const chart = { bars: full.map((b) => ({ ...b, open: pruned.bars.find((x) => x.symbol === b.symbol)!.open })) };
    const indicators = compile(doc).indicators.length;
    for (const size of [1, 2]) {
      const p = pool({ size, spreadColumnsFrom: 0 });
      expect(asPoolRun(await p.run({ doc, data: pruned }))).toEqual(asPoolRun(runBacktest(doc, { bars: full })));
      const got = await p.overlays({ doc, data: chart }, 50, undefined, pruned);
      expect(got).toEqual(await pool({ size: 1 }).overlays({ doc, data: { bars: full } }, 50));
      expect(got[0]!.high.some(Number.isNaN)).toBe(false);
      const counts = await p.columnCounts(chart);
      expect(counts.reduce((n, c) => n + c.computed, 0)).toBe(0);
      expect(counts.reduce((n, c) => n + c.seeded, 0)).toBe(indicators);
    }
    // Copy mode cannot hand columns over without copying them: the chart's worker computes its own, for the
    // chart alone (sampled, not kept: engine/overlays.ts).
    const copy = pool({ size: 1, share: false });
    await copy.run({ doc, data: pruned });
    expect(await copy.overlays({ doc, data: chart }, 50, undefined, pruned)).toEqual(await pool({ size: 1 }).overlays({ doc, data: { bars: full } }, 50));
    expect(await copy.columnCounts(chart)).toEqual([{ computed: 0, seeded: 0 }]);
  });

  it('columns a run reads only in its signal pass are neither sent ahead, nor kept by the run or its chart', async () => {
    // crossDoc's averages are read by its crossings alone (fast/transient.ts): no worker keeps a column.
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const p = pool({ size: 2, spreadColumnsFrom: 0 });
    expect(asPoolRun(await p.run({ doc, data }))).toEqual(asPoolRun(runBacktest(doc, data)));
    // Its signal pass, where those columns are computed, was spread over both workers instead (signalShare).
    expect(p.counters.splitRuns).toBe(1);
    expect(await p.overlays({ doc, data }, 50)).toEqual(chartOverlays(compile(doc), data, new IndicatorCache(), 50, doc.settings));
    const counts = await p.columnCounts(data);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => c.computed === 0 && c.seeded === 0)).toBe(true);
  });

  it('cancels a long run in shared mode (flag) and in copy mode (worker replaced), then runs again', async () => {
    const { doc, bars } = longMinuteRun(2);
    for (const share of [true, false]) {
      // Shared mode reads the run's progress cell every 10 ms (the first advance asks for the cancel).
      const p = pool({ size: 1, share, progressIntervalMs: 10 });
      const ctl = new AbortController();
      let asked = 0;
      const run = p.run({ doc, data: { bars } }, {
        signal: ctl.signal,
        onProgress: (f) => { if (f > 0 && !asked) { asked = performance.now(); ctl.abort(); } },
      });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      const ms = performance.now() - asked;
      console.log(`pool cancel (${share ? 'shared flag' : 'terminate + respawn'}): ${ms.toFixed(1)} ms after the request`);
      expect(ms).toBeLessThan(1000);
      const again = await p.run({ doc: crossDoc(), data: { bars: dailyBars() } });
      expect(again.stats.tradeCount).toBeGreaterThan(0);
    }
  });

  it('reports phases in order and throttles progress to 10 per second (copy mode: progress comes as messages)', async () => {
    const { doc, bars } = longMinuteRun(1);
    // A clock that moves 30 ms at each reading, and each event's reading: the throttle must let through every
    // fourth update the worker sends, whatever the machine's speed. Timing the events with the wall clock failed
    // once in CI (81 ms between two events the pool's clock then, Date.now, had seen 100 ms apart: the VM's
    // wall clock was stepped; the pool now throttles on a monotonic clock).
    let reading = 0;
    const p = pool({ size: 1, share: false, clock: { now: () => (reading += 30) } });
    const events: string[] = [];
    const at: number[] = [];
    await p.run({ doc, data: { bars } }, {
      onPhase: (ph) => events.push(ph),
      onProgress: () => { events.push('progress'); at.push(reading); },
    });
    expect(events.slice(0, 3)).toEqual(['warmingUp', 'running', 'progress']);
    expect(at.length).toBeGreaterThan(1);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBe(120);
  });

  it('shared mode: a run\'s progress is read from its shared cell on the pool\'s schedule, after the one message that says it runs', async () => {
    const { doc, bars } = longMinuteRun(2);
    // The schedule is the test's: it reads the cell when the test says, while the worker runs on its own.
    const pending: { read: (() => void) | null } = { read: null };
    const waits: number[] = [];
    const p = pool({ size: 1, progressIntervalMs: 25, schedule: (fn, ms) => { pending.read = fn; waits.push(ms); return () => { pending.read = null; }; } });
    expect(p.shared).toBe(true);
    const events: string[] = [];
    const fractions: number[] = [];
    let settled = false;
    const run = p.run({ doc, data: { bars } }, {
      onPhase: (ph) => events.push(ph),
      onProgress: (f) => { events.push('progress'); fractions.push(f); },
    }).finally(() => { settled = true; });
    while (!settled) {
      await new Promise((r) => setTimeout(r, 5));
      pending.read?.();
    }
    const r = await run;
    expect(r.barCount).toBe(bars.reduce((n, b) => n + b.length, 0));
    expect(events.slice(0, 3)).toEqual(['warmingUp', 'running', 'progress']);
    // The message at the start (0), then readings of the cell: each an advance, none past the whole run.
    expect(fractions[0]).toBe(0);
    expect(fractions.length).toBeGreaterThan(2);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!);
    expect(fractions.at(-1)).toBeLessThanOrEqual(1);
    expect(new Set(waits)).toEqual(new Set([25]));
    // Settled: the polling stopped.
    expect(pending.read).toBeNull();
  });

  it('queued tasks wait for a worker and a queued cancel never reaches one', async () => {
    const p = pool({ size: 1 });
    const { doc, bars } = longMinuteRun(1);
    const first = p.run({ doc, data: { bars } });
    const ctl = new AbortController();
    const phases: string[] = [];
    const second = p.run({ doc: crossDoc(), data: { bars: dailyBars() } }, { signal: ctl.signal, onPhase: (ph) => phases.push(ph) });
    ctl.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect(phases).toEqual([]);
    expect((await first).barCount).toBe(bars.reduce((n, b) => n + b.length, 0));
  });

  it('warm primes each worker once in Chromium (shared memory, as the store reads bars), and a run after it equals the in-page run', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const p = pool({ size: 2 });
    await p.warm();
    expect([p.workers, p.counters.primed]).toEqual([2, 2]);
    await p.warm();
    expect(p.counters.primed).toBe(2);
    expect(asPoolRun(await p.run({ doc, data }))).toEqual(asPoolRun(runBacktest(doc, data)));
  });
});
