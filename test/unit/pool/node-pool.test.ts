import { describe, expect, it } from 'vitest';
import { createNodePool } from '../../../src/cli/node-pool.ts';
import { explain, IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { prepareData } from '../../../src/rpc/pool-data.ts';
import { abortError, type EnginePool } from '../../../src/rpc/pool.ts';
import type { ColumnEntry } from '../../../src/rpc/engine-api.ts';
import { compile } from '../../../src/strategy/index.ts';
import { crossDoc, crossDocBothAssets, dailyBars, longMinuteRun, paramSets, closedAfterEach, withoutTraces } from './fixture.ts';

const pool = closedAfterEach((size: number) => createNodePool({ size }));
const closedLater = closedAfterEach((p: EnginePool) => p);

describe('engine pool on worker_threads', () => {
  it('a batch over 2 threads equals the same batch on 1 thread and in-process runs, in input order', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const reqs = paramSets(12).map((params) => ({ doc, data, params }));
    const one = pool(1), two = pool(2);
    const [a, b] = await Promise.all([one.runBatch(reqs), two.runBatch(reqs)]);
    expect(two.workers).toBe(2);
    expect(one.workers).toBe(1);
    expect(two.shared).toBe(true);
    expect(b).toEqual(a);
    // Same as the engine called directly, so neither pool changes a result (e.g. through its indicator cache).
    // Results come back as columns with no traces (explain gives them); audit: true still returns them stored.
    // Audit off and a data set's cache, as the pool's runs: the compiled walk takes this document (its
    // monthly rebalance included).
    for (const i of [0, 5, 11]) expect(a[i]).toEqual(withoutTraces(runBacktest(doc, data, { params: reqs[i]!.params, audit: false, indicatorCache: new IndicatorCache() })));
    expect(a[0]!.engine).toBe('fast');
    expect(a[0]!.signals.every((s) => s.trace === undefined)).toBe(true);
    expect(await one.run({ ...reqs[5]!, audit: true })).toEqual(runBacktest(doc, data, { params: reqs[5]!.params }));
    // Different parameters give different runs: order is really input order, not completion order.
    expect(new Set(a.map((r) => r.stats.finalEquity)).size).toBeGreaterThan(3);
  });

  it('cancels a running task through the shared flag and keeps the worker for the next task', async () => {
    const p = pool(1);
    const { doc, bars } = longMinuteRun(2);
    const ctl = new AbortController();
    let cancelledAt = 0;
    const run = p.run({ doc, data: { bars } }, {
      signal: ctl.signal,
      onPhase: (ph) => { if (ph === 'running') { cancelledAt = performance.now(); ctl.abort(); } },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    console.log(`node pool: cancel honoured ${(performance.now() - cancelledAt).toFixed(1)} ms after the request`);
    const small = await p.run({ doc: crossDoc(), data: { bars: dailyBars() } });
    expect(small.stats.tradeCount).toBeGreaterThan(0);
    expect(p.workers).toBe(1);
  });

  // What the page does while it reads a run's assets one by one from the store (PoolRunner.load).
  it('columns provided while the assets load: each asset\'s computed from its bars alone, seeded into the run and not computed there', async () => {
    const p = pool(1);
    const doc = crossDocBothAssets();
    const data = prepareData({ bars: dailyBars() }, true);
    const indicators = compile(doc).indicators.length;
    const expected = withoutTraces(runBacktest(doc, data, { audit: false, indicatorCache: new IndicatorCache() }));
    const lists = data.bars.map((b) => p.assetColumns(doc, undefined, b, undefined));
    expect((await Promise.all(lists)).map((l) => l.length)).toEqual([2, 1]);
    p.provideColumns(data, doc, undefined, lists);
    expect(await p.run({ doc, data })).toEqual(expected);
    expect(await p.columnCounts(data)).toEqual([{ computed: 0, seeded: indicators }]);
    // A list that fails fails the run that would seed it, with its error; it is forgotten, so the next run computes its own.
    const other = prepareData({ bars: dailyBars() }, true);
    p.provideColumns(other, doc, undefined, [p.assetColumns(doc, undefined, { ...other.bars[0]!, symbol: 'ZZZ' }, undefined)]);
    await expect(p.run({ doc, data: other })).rejects.toThrow(/ZZZ is not an asset of this document \(AAA, BBB\)/);
    expect(await p.run({ doc, data: other })).toEqual(expected);
    expect(await p.columnCounts(other)).toEqual([{ computed: indicators, seeded: 0 }]);
    // Columns sent ahead for a run that was then cancelled: the next run, pressed at once, computes its own.
    const third = prepareData({ bars: dailyBars() }, true);
    p.provideColumns(third, doc, undefined, [Promise.reject(abortError())]);
    expect(await p.run({ doc, data: third })).toEqual(expected);
    expect(await p.columnCounts(third)).toEqual([{ computed: indicators, seeded: 0 }]);
  });

  it('a run whose columns are transient has its signal pass computed in parts on both threads, and the same result', async () => {
    const p = createNodePool({ size: 2, spreadColumnsFrom: 0 });
    try {
      const doc = crossDoc();
      const data = { bars: dailyBars() };
      const want = withoutTraces(runBacktest(doc, data, { audit: false, indicatorCache: new IndicatorCache() }));
      expect(await p.run({ doc, data })).toEqual(want);
      expect(p.counters.splitRuns).toBe(1);
      // With traces the kernel walks and reads its columns: nothing to split.
      expect(await p.run({ doc, data, audit: true })).toEqual(runBacktest(doc, data));
      expect(p.counters.splitRuns).toBe(1);
      // Under the size where spreading pays, one thread makes the whole pass.
      const small = createNodePool({ size: 2 });
      try {
        expect(await small.run({ doc, data })).toEqual(want);
        expect(small.counters.splitRuns).toBe(0);
      } finally {
        await small.close();
      }
      // As the page runs it: each asset's columns asked for as it loads (none: they are transient), so nothing
      // is spread and the workers a split needs are up only when started ahead (warm, the app's idle start).
      for (const warm of [false, true]) {
        const q = createNodePool({ size: 2 });
        try {
          if (warm) await q.warm();
          const d = { bars: dailyBars() };
          // One after another, as the data worker reads them (each read takes longer than its columns task).
          const lists: Promise<ColumnEntry[]>[] = [];
          for (const b of d.bars) {
            lists.push(q.assetColumns(doc, undefined, b, undefined));
            await lists[lists.length - 1];
          }
          q.provideColumns(d, doc, undefined, lists);
          expect(await q.run({ doc, data: d })).toEqual(want);
          expect([q.workers, q.counters.splitRuns]).toEqual(warm ? [2, 1] : [1, 0]);
        } finally {
          await q.close();
        }
      }
    } finally {
      await p.close();
    }
  });

  it('explains a bar in a worker exactly as in-process', async () => {
    const p = pool(1);
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const time = data.bars[0]!.time[300]!;
    const got = await p.explain({ doc, data }, time);
    expect(got.length).toBe(3);
    expect(got).toEqual(explain(doc, data, time));
  });

  it('an explanation nobody wants any more stops its walk in the worker: AbortError, and the next one is answered', async () => {
    const p = pool(1);
    const { doc, bars } = longMinuteRun(1);
    const data = { bars };
    const early = bars[0]!.time[500]!, late = bars[0]!.time[bars[0]!.length - 1]!;
    const want = explain(doc, data, early);
    expect(await p.explain({ doc, data }, early)).toEqual(want); // the worker holds the data set now
    const ctl = new AbortController();
    const t0 = performance.now();
    const walk = p.explain({ doc, data }, late, ctl.signal);
    ctl.abort(); // it is running (the worker was idle): only the walk's cancel check can end it with AbortError
    await expect(walk).rejects.toMatchObject({ name: 'AbortError' });
    console.log(`node pool: an explanation of the last of ${bars[0]!.length} bars abandoned in ${(performance.now() - t0).toFixed(1)} ms`);
    expect(await p.explain({ doc, data }, early)).toEqual(want);
  });

  it('sends an explanation to the worker that holds its walk, not the first idle one (a late bar walks on there)', async () => {
    const p = pool(2);
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const [pa, pb] = paramSets(2);
    const a = { doc, data, params: pa }, b = { doc, data, params: pb };
    const time = (i: number) => data.bars[0]!.time[i]!;
    // Sent together: worker 0 takes a's walk, worker 1 (started for it) b's.
    await Promise.all([p.explain(a, time(200)), p.explain(b, time(200))]);
    expect(p.workers).toBe(2);
    expect(await p.explainWalks()).toEqual([{ starts: 1, continued: 0, repeated: 0 }, { starts: 1, continued: 0, repeated: 0 }]);
    // Both idle: b's next bar goes to worker 1 and walks on (to worker 0, the first idle, it would start over).
    expect(await p.explain(b, time(400))).toEqual(explain(doc, data, time(400), { params: pb }));
    expect(await p.explain(a, time(300))).toEqual(explain(doc, data, time(300), { params: pa }));
    expect(await p.explainWalks()).toEqual([{ starts: 1, continued: 1, repeated: 0 }, { starts: 1, continued: 1, repeated: 0 }]);
    // A run on a worker ends its walk there (the run could take either worker): the next explanation of that
    // document is answered all the same, by a walk that starts over wherever it goes.
    await p.run(a);
    expect(await p.explain(a, time(350))).toEqual(explain(doc, data, time(350), { params: pa }));
    const walks = await p.explainWalks();
    expect(walks.reduce((n, w) => n + w.starts + w.continued, 0)).toBe(5);
  });

  it('reports what a document needs and fails a run with the engine error', async () => {
    const p = pool(1);
    expect(await p.needs(crossDoc())).toEqual({ assets: ['AAA', 'BBB'], timeframe: '1d', series: [], fields: ['open', 'close'] });
    await expect(p.run({ doc: crossDoc(), data: { bars: dailyBars().slice(0, 1) } })).rejects.toThrow(/no data for symbol "BBB"/);
  });

  it('warm has each worker run the engine prime once (not again on the next warm, not with prime: false), and runs after it are what they were', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const want = withoutTraces(runBacktest(doc, data, { audit: false, indicatorCache: new IndicatorCache() }));
    const two = closedLater(createNodePool({ size: 2 }));
    await two.warm();
    expect([two.workers, two.counters.primed]).toEqual([2, 2]);
    await two.warm();
    expect(two.counters.primed).toBe(2);
    expect(await two.run({ doc, data })).toEqual(want);
    const off = closedLater(createNodePool({ size: 2, prime: false }));
    await off.warm();
    expect([off.workers, off.counters.primed]).toEqual([2, 0]);
    expect(await off.run({ doc, data })).toEqual(want);
  });
});
