import { IndicatorCache, runBacktest } from '../../src/engine/index.ts';
import { compile } from '../../src/strategy/index.ts';
import { consume, timeIt, type BenchSuite } from './harness.ts';
import { floorPass, w1, w2, w3 } from './workloads.ts';

/** W1–W3 in one Node thread (the pool benches measure the multi-core figures). */
const suite: BenchSuite = {
  name: 'engine (Node, one thread)',
  async run({ quick }) {
    const rows: Record<string, Record<string, number | string>> = {};

    const a = w1();
    const plan = compile(a.doc);
    const w1ms = timeIt(() => consume(runBacktest(a.doc, a.data, { plan, audit: false }).stats.finalEquity), { minMs: quick ? 200 : 1500 });
    const w1compile = timeIt(() => consume(compile(a.doc).slotCount), { minMs: 200 });
    const w1floor = timeIt(() => consume(floorPass(a.data.bars)), { minMs: 200 });
    rows.W1 = { bars: a.bars, msPerRun: w1ms, runsPerSecond1Thread: 1000 / w1ms, compileMs: w1compile, floorMs: w1floor, floorRatio: w1ms / w1floor };

    if (!quick) {
      const b = w2();
      const t0 = performance.now();
      const r = runBacktest(b.doc, b.data, { audit: false });
      const w2s = (performance.now() - t0) / 1000;
      const cache = new IndicatorCache();
      const t1 = performance.now();
      runBacktest(b.doc, b.data, { audit: false, indicatorCache: cache });
      const w2cached = (performance.now() - t1) / 1000;
      const w2floor = timeIt(() => consume(floorPass(b.data.bars)), { minMs: 500, warmup: 1 }) / 1000;
      rows.W2 = {
        bars: b.bars, seconds: w2s, barsPerSecond: b.bars / w2s, secondsWithColumns: w2cached,
        floorSeconds: w2floor, floorRatio: w2s / w2floor, trades: r.trades.length, signals: r.signals.length,
      };

      const c = w3();
      const cache3 = new IndicatorCache();
      const n = 40;
      const t2 = performance.now();
      for (let i = 0; i < n; i++) consume(runBacktest(c.doc, c.data, { params: c.params[i * 25]!, audit: false, indicatorCache: cache3 }).stats.finalEquity);
      const perRun = (performance.now() - t2) / n / 1000;
      const w3floor = timeIt(() => consume(floorPass(c.data.bars)), { minMs: 300, warmup: 1 }) / 1000;
      rows.W3 = { bars: c.bars, combos: c.params.length, sampledRuns: n, secondsPerRun: perRun, projectedSeconds1Thread: perRun * c.params.length, floorRatio: perRun / w3floor };
    }
    return rows;
  },
};
export default suite;
