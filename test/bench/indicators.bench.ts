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
 *
 * Column rows: the indicator cache's two ways to build a whole column, in the same run, alternating, CPU time
 * (process.cpuUsage), best round: the streaming loop (an `update` per bar, the reference) and the
 * whole-column kernel (src/indicators/columns.ts). Output memory is reused, so the rows compare the
 * computation; fresh column memory costs the same for both (its first touch, ~4 ms per MB on the 2-core VM).
 */
import * as TS from 'trading-signals';
import ti from 'technicalindicators';
import { computeColumns, streamingColumns } from '../../src/engine/indicator-cache.ts';
import { EMA, RSI, SMA, type Indicator } from '../../src/indicators/index.ts';
import { Rng } from '../../src/lib/rng.ts';
import type { BarColumns } from '../../src/schema/index.ts';
import type { PlanIndicator } from '../../src/strategy/index.ts';
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

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const barWindow = (kind: 'sma' | 'rsi' | 'ema', bars: number): PlanIndicator =>
  ({ key: `${kind}${bars}`, label: kind, asset: 0, source: 'close', spec: { kind, window: { bars } }, outputs: [{ field: 'value', slot: 0 }] });

/**
 * Streaming loop vs kernel for one set of columns over `b`: rounds alternate the two, each timed in CPU ms
 * (repeated `inner` times when a set is too short to time); the best round of each.
 */
function columnRows(name: string, b: BarColumns, pis: PlanIndicator[], rounds: number, inner: number): Record<string, BenchRow> {
  // One kept buffer per output column (Bollinger has three), handed out in turn.
  const kept = [0, 1, 2].map(() => new ArrayBuffer(b.length * 8));
  let next = 0;
  const alloc = (): ArrayBuffer => kept[next++ % kept.length]!;
  const best = { streaming: Infinity, kernel: Infinity };
  // Rounds below 0 warm both up, untimed: with both cores busy, V8's optimizing compiler (a background
  // thread) can take several calls to deliver, and until then a kernel runs as baseline code.
  for (let r = -2; r < rounds; r++) {
    for (const [way, build] of [['streaming', streamingColumns], ['kernel', computeColumns]] as const) {
      const c0 = cpuMs();
      for (let k = 0; k < inner; k++) for (const pi of pis) consume(build(pi, b, alloc)[0]![b.length - 1]!);
      if (r >= 0) best[way] = Math.min(best[way], (cpuMs() - c0) / inner);
    }
  }
  const perBar = (ms: number) => Math.round((ms * 1e7) / (b.length * pis.length)) / 10;
  return {
    [`columns ${name}: streaming loop`]: { cpuMsPerSet: Math.round(best.streaming * 1000) / 1000, nsPerBarAndColumn: perBar(best.streaming), kernelSpeedup: null },
    [`columns ${name}: kernel`]: { cpuMsPerSet: Math.round(best.kernel * 1000) / 1000, nsPerBarAndColumn: perBar(best.kernel), kernelSpeedup: Math.round((best.streaming / best.kernel) * 100) / 100 },
  };
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
    const b = { symbol: 'X', length: n, time: t, open: close, high: close, low: close, close, volume: close } as BarColumns;
    const rounds = quick ? 2 : 5;
    Object.assign(rows, columnRows('SMA(20)', b, [barWindow('sma', 20)], rounds, 1));
    Object.assign(rows, columnRows('RSI(14)', b, [barWindow('rsi', 14)], rounds, 1));
    Object.assign(rows, columnRows('EMA(20)', b, [barWindow('ema', 20)], rounds, 1));
    const bands: PlanIndicator = { ...barWindow('sma', 20), key: 'bollinger20', spec: { kind: 'bollinger', window: { bars: 20 }, k: 2 }, outputs: [{ field: 'value', slot: 0 }, { field: 'upper', slot: 1 }, { field: 'lower', slot: 2 }] };
    Object.assign(rows, columnRows('Bollinger(20) 3 bands', b, [bands], rounds, 1));
    // W3's grid: fast 5..100 step 5, slow 110..600 step 10 (70 SMA columns).
    const w3 = [...Array.from({ length: 20 }, (_, i) => 5 + 5 * i), ...Array.from({ length: 50 }, (_, i) => 110 + 10 * i)];
    if (!quick) Object.assign(rows, columnRows("W3's 70 SMA", b, w3.map((w) => barWindow('sma', w)), 3, 1));
    // W1: its two SMAs at their defaults (10, 20) over 3,780 daily bars; a set takes ~0.1 ms, so each round builds it 200 times.
    const d = 3780;
    const daily = { ...b, length: d, time: t.subarray(0, d), open: close.subarray(0, d), high: close.subarray(0, d), low: close.subarray(0, d), close: close.subarray(0, d), volume: close.subarray(0, d) };
    Object.assign(rows, columnRows("W1's 2 SMA (3,780 bars)", daily, [barWindow('sma', 10), barWindow('sma', 20)], rounds, 200));
    return rows;
  },
};

export default suite;
