/**
 * Per-update throughput of SMA(20), EMA(20), RSI(14) on ~1M random-walk closes: ours against
 * trading-signals (v8) and technicalindicators, measured in the same run on the same data.
 *
 * Like with like: every streaming contender is fed one close at a time and its output is consumed.
 * - trading-signals v8 is plain-number throughout (the big.js classes and the `Faster*` twins of v5–v7
 *   are gone; v8 exports only number classes), so its `add` is the fair comparison. Its SMA keeps an array
 *   (push + shift) and re-averages the whole window on every update, so it is O(N) per update.
 * - technicalindicators streams through generators (`nextValue`) and also has a batch `calculate`; both are
 *   reported. Its RSI rounds every output with toFixed(2) (a string round trip), which it cannot turn off.
 * - Ours is measured with a bar window and with the equivalent duration window ({ms: N minutes} on
 *   minute-spaced data), which also has to track time.
 * `oursRatio` = our bar-window rate ÷ that row's rate (> 1: we are faster). The floor row is the same loop
 * with no indicator call, the most any streaming indicator could reach here.
 */
import * as TS from 'trading-signals';
import ti from 'technicalindicators';
import { EMA, RSI, SMA, type Indicator } from '../../src/indicators/index.ts';
import { Rng } from '../../src/lib/rng.ts';
import { consume, timeIt, type BenchRow, type BenchSuite } from './harness.ts';

const MINUTE = 60_000;

function randomWalk(n: number): { t: Float64Array; close: Float64Array; list: number[] } {
  const rng = new Rng(20240601);
  const t = new Float64Array(n);
  const close = new Float64Array(n);
  let x = 100;
  for (let i = 0; i < n; i++) {
    x = Math.max(1, x + rng.normal() * 0.2);
    t[i] = 1_700_000_000_000 + i * MINUTE;
    close[i] = x;
  }
  return { t, close, list: Array.from(close) };
}

type Loop = (ind: unknown, t: Float64Array, close: Float64Array, consume: (x: number) => void) => void;

/**
 * A fresh copy of a feeding loop per contender. Closures made from one function literal share V8's type
 * feedback, so a shared loop would turn every contender's call site polymorphic and the measurement would
 * depend on the order the cases run in; compiling the same source once per contender keeps each call
 * site monomorphic, for us and for them alike.
 */
function freshLoop(call: string, keep: string): Loop {
  return new Function('ind', 't', 'close', 'consume', `
    let s = 0;
    for (let i = 0; i < close.length; i++) {
      const c = close[i];
      const v = ${call};
      if (${keep}) s += v;
    }
    consume(s);`) as Loop;
}

function ours(ind: Indicator, t: Float64Array, close: Float64Array): () => void {
  const loop = freshLoop('ind.update(t[i], c, c, c)', 'v === v');
  return () => {
    ind.reset();
    loop(ind, t, close, consume);
  };
}

function theirs(make: () => object, close: Float64Array, method: 'add' | 'nextValue'): () => void {
  const loop = method === 'add' ? freshLoop('ind.add(c)', 'v !== null') : freshLoop('ind.nextValue(c)', 'v !== undefined');
  return () => loop(make(), close, close, consume);
}

const suite: BenchSuite = {
  name: 'indicators',
  async run({ quick }) {
    const n = quick ? 100_000 : 1_000_000;
    const { t, close, list } = randomWalk(n);
    const opts = { minMs: quick ? 100 : 400, warmup: quick ? 1 : 2 };
    const rows: Record<string, BenchRow> = {};
    const floorLoop = freshLoop('c', 'true');
    const floor = Math.round(n / (timeIt(() => floorLoop(null, t, close, consume), opts) / 1000));
    rows['floor: plain loop over the closes'] = { updatesPerSecond: floor, oursRatio: null };
    const cases = [
      {
        name: 'SMA(20)',
        ours: new SMA({ bars: 20 }),
        oursMs: new SMA({ ms: 20 * MINUTE }),
        ts: () => new TS.SMA(20),
        tiStream: () => new ti.SMA({ period: 20, values: [] }),
        tiBatch: () => consume(ti.SMA.calculate({ period: 20, values: list }).length),
      },
      {
        name: 'EMA(20)',
        ours: new EMA({ bars: 20 }),
        oursMs: new EMA({ ms: 20 * MINUTE }),
        ts: () => new TS.EMA(20),
        tiStream: () => new ti.EMA({ period: 20, values: [] }),
        tiBatch: () => consume(ti.EMA.calculate({ period: 20, values: list }).length),
      },
      {
        name: 'RSI(14)',
        ours: new RSI({ bars: 14 }),
        oursMs: new RSI({ ms: 14 * MINUTE }),
        ts: () => new TS.RSI(14),
        tiStream: () => new ti.RSI({ period: 14, values: [] }),
        tiBatch: () => consume(ti.RSI.calculate({ period: 14, values: list }).length),
      },
    ];
    for (const c of cases) {
      const perSecond = (ms: number) => Math.round(n / (ms / 1000));
      const o = perSecond(timeIt(ours(c.ours, t, close), opts));
      const om = perSecond(timeIt(ours(c.oursMs, t, close), opts));
      const tsx = perSecond(timeIt(theirs(c.ts, close, 'add'), opts));
      const tis = perSecond(timeIt(theirs(c.tiStream, close, 'nextValue'), opts));
      const tib = perSecond(timeIt(c.tiBatch, opts));
      const ratio = (x: number) => Math.round((o / x) * 10) / 10;
      rows[`${c.name} ours {bars}`] = { updatesPerSecond: o, oursRatio: 1 };
      rows[`${c.name} ours {ms}`] = { updatesPerSecond: om, oursRatio: ratio(om) };
      rows[`${c.name} trading-signals add`] = { updatesPerSecond: tsx, oursRatio: ratio(tsx) };
      rows[`${c.name} technicalindicators nextValue`] = { updatesPerSecond: tis, oursRatio: ratio(tis) };
      rows[`${c.name} technicalindicators calculate`] = { updatesPerSecond: tib, oursRatio: ratio(tib) };
    }
    return rows;
  },
};

export default suite;
