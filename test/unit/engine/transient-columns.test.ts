import { describe, expect, it } from 'vitest';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import { chartOverlays } from '../../../src/engine/overlays.ts';
import { CancelledError, explain, IndicatorCache, runBacktest, signalShare, type MarketData, type RunOptions, type SignalShare } from '../../../src/engine/index.ts';
import { transientRuns } from '../../../src/engine/fast/run.ts';
import { columnsTransient } from '../../../src/engine/fast/transient.ts';
import { blockSize, hasNaN } from '../../../src/engine/fast/blocks.ts';
import { createEngineService } from '../../../src/engine/service.ts';
import { parseDocument, type BarColumns, type RunResult, type StrategyDocument, type StrategyDocumentInput } from '../../../src/schema/index.ts';
import { compile } from '../../../src/strategy/index.ts';
import { same } from '../../helpers/same-bits.ts';

/**
 * A full-record run on the compiled walk keeps no indicator column (fast/transient.ts): the signal pass
 * computes them group by group into reused scratch memory, and records with each candidate event of a
 * strategy the walk decides the values it read. W2's shape on two assets: an SMA cross per asset (data only),
 * an RSI entry while flat (decided by the walk on the recorded RSI), a monthly equal-weight rebalance.
 */

const SYMBOLS = ['A', 'B'];

function w2Like(rsiBars = 14): StrategyDocument {
  const strategies: StrategyDocumentInput['strategies'] = [];
  for (const s of SYMBOLS) {
    const sma = (bars: number) => ({ kind: 'sma', asset: s, window: { bars } });
    strategies.push(
      { id: `up-${s}`, name: 'up', condition: { lhs: sma(20), op: 'crossesAbove', rhs: sma(60) }, action: { type: 'setWeight', asset: s, weight: 0.2 } },
      { id: `down-${s}`, name: 'down', condition: { lhs: sma(20), op: 'crossesBelow', rhs: sma(60) }, action: { type: 'setWeight', asset: s, weight: 0 } },
      {
        id: `rsi-${s}`, name: 'rsi',
        condition: { all: [{ lhs: { kind: 'rsi', asset: s, window: { bars: rsiBars } }, op: '<', rhs: 30 }, { lhs: { kind: 'position', asset: s, field: 'quantity' }, op: '=', rhs: 0 }] },
        action: { type: 'buy', asset: s, amount: { unit: 'percentOfEquity', value: 5 } },
      },
    );
  }
  strategies.push({
    id: 'monthly', name: 'monthly', condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 },
    action: { type: 'rebalance', universe: { candidates: SYMBOLS, weighting: { kind: 'equal' }, totalWeight: 0.3 } },
  });
  const r = parseDocument({
    version: 1, name: 'transient', settings: { universe: SYMBOLS, timeframe: '1m', initialCash: 100_000, fees: { fraction: 0.0005 }, units: 'fractional' }, strategies,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

const bars = (seed: number): BarColumns[] => generateMinuteBars({ symbols: SYMBOLS, years: 0.1, seed, gaps: false });

function withoutEngine(r: RunResult): Omit<RunResult, 'engine' | 'engineNote'> {
  const { engine: _e, engineNote: _n, ...rest } = r;
  return rest;
}

function expectReference(doc: StrategyDocument, data: MarketData, opts: RunOptions): RunResult {
  const fast = runBacktest(doc, data, { ...opts, engine: 'fast' });
  expect(fast.engine, fast.engineNote).toBe('fast');
  expect(same(withoutEngine(fast), withoutEngine(runBacktest(doc, data, { ...opts, engine: 'reference', indicatorCache: undefined })))).toBeNull();
  return fast;
}

describe('transient indicator columns: computed in the signal pass, not kept', () => {
  const doc = w2Like();
  const plan = compile(doc);

  it('are every column of a run on the compiled walk, without traces and without a rule reading the slots', () => {
    expect(columnsTransient(plan, false)).toBe(true);
    expect(columnsTransient(plan, true)).toBe(false);
    // A rebalance rule that sorts reads every slot: nothing is transient then.
    const sorted = parseDocument({
      ...doc, strategies: [...doc.strategies.slice(0, -1), {
        ...doc.strategies.at(-1)!,
        action: { type: 'rebalance', universe: { candidates: SYMBOLS, sort: { by: { kind: 'sma', asset: '$asset', window: { bars: 20 } }, order: 'desc' }, limit: 1, weighting: { kind: 'equal' } } },
      }],
    });
    if (!sorted.ok) throw new Error(JSON.stringify(sorted.errors));
    expect(columnsTransient(compile(sorted.doc), false)).toBe(false);
  });

  it('a full run keeps none of them, computes each once, and equals the reference bit for bit', () => {
    const data = { bars: bars(5) };
    const cache = new IndicatorCache();
    const before = { ...transientRuns };
    expectReference(doc, data, { audit: false, indicatorCache: cache });
    expect(plan.indicators.some((pi) => cache.has(pi, data.bars[pi.asset]!))).toBe(false);
    expect(transientRuns.runs - before.runs).toBe(1);
    expect(transientRuns.columns - before.columns).toBe(6);
    // With traces the kernel walks every step and reads every column: it computes and keeps them.
    expectReference(doc, data, { audit: true, indicatorCache: cache });
    expect(plan.indicators.every((pi) => cache.has(pi, data.bars[pi.asset]!))).toBe(true);
  });

  it('computed a block at a time: any block size, over assets with missing minutes, gives the reference\'s run', () => {
    // With gaps each asset misses minutes the other has: its cursor stays on its last bar across block edges.
    const data = { bars: generateMinuteBars({ symbols: SYMBOLS, years: 0.1, seed: 9, gaps: true }) };
    expect(data.bars[0]!.length).not.toBe(data.bars[1]!.length);
    const size = blockSize.steps;
    try {
      for (const steps of [1, 2, 7, 64, 1000, 8192]) {
        blockSize.steps = steps;
        const before = { ...transientRuns };
        expectReference(doc, data, { audit: false, indicatorCache: new IndicatorCache() });
        // The four averages and two RSIs, each in blocks.
        expect(transientRuns.blocked - before.blocked).toBe(6);
      }
    } finally {
      blockSize.steps = size;
    }
  });

  it('a statistics run (a sweep\'s candidate) keeps them for the next candidates', () => {
    const data = { bars: bars(5) };
    const cache = new IndicatorCache();
    const before = transientRuns.runs;
    expectReference(doc, data, { audit: false, record: 'stats', indicatorCache: cache });
    expect(plan.indicators.every((pi) => cache.has(pi, data.bars[pi.asset]!))).toBe(true);
    expect(transientRuns.runs).toBe(before);
  });

  it('scratch memory left by another data set of the same length is overwritten, not read', () => {
    const one = { bars: bars(5) }, two = { bars: bars(6) };
    expect(two.bars[0]!.length).toBe(one.bars[0]!.length);
    const a = expectReference(doc, one, { audit: false, indicatorCache: new IndicatorCache() });
    const b = expectReference(doc, two, { audit: false, indicatorCache: new IndicatorCache() });
    expect(b.stats.finalEquity).not.toBe(a.stats.finalEquity);
    expect(same(withoutEngine(expectReference(doc, one, { audit: false, indicatorCache: new IndicatorCache() })), withoutEngine(a))).toBeNull();
  });

  it('hasNaN finds a NaN at any offset of its 4-value blocks and the tail, and is not fooled by +∞ beside −∞', () => {
    for (let len = 0; len <= 11; len++) {
      expect(hasNaN(new Float64Array(len).fill(1), 0, len)).toBe(false);
      for (let at = 0; at < len; at++) {
        const c = new Float64Array(len).fill(1);
        c[at] = NaN;
        expect(hasNaN(c, 0, len)).toBe(true);
        expect(hasNaN(c, at + 1, len)).toBe(false);
      }
    }
    expect(hasNaN(Float64Array.of(Infinity, -Infinity, 1, 2, -Infinity, Infinity), 0, 6)).toBe(false);
  });

  it('a cancel stops the signal pass between its groups, in a run and in a share: no column computed after it', () => {
    const data = { bars: bars(5) };
    const raised = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(raised, 0, 1);
    const before = transientRuns.columns;
    expect(() => runBacktest(doc, data, { audit: false, indicatorCache: new IndicatorCache(), cancel: raised })).toThrow(CancelledError);
    expect(() => signalShare(doc, data, 0, 2, { audit: false, indicatorCache: new IndicatorCache(), cancel: raised })).toThrow(CancelledError);
    expect(transientRuns.columns).toBe(before);
    // Not raised: the same calls compute their columns and answer.
    const calm = new Int32Array(new SharedArrayBuffer(4));
    expect(runBacktest(doc, data, { audit: false, indicatorCache: new IndicatorCache(), cancel: calm }).engine).toBe('fast');
    expect(signalShare(doc, data, 0, 2, { audit: false, indicatorCache: new IndicatorCache(), cancel: calm })).not.toBeNull();
    expect(transientRuns.columns).toBeGreaterThan(before);
  });

  it('a column with a gap after its first value: the first tradable step is the reference\'s (a copy is kept for it)', () => {
    // A missing close at row 70 leaves A's averages undefined for a while after it (until their window has
    // passed it), so their values from row 59 on are not "defined from a row on". The RSI (100 bars; it keeps
    // its last value over a missing input) is defined from row 100, inside that gap: trading starts after the
    // gap, not at row 100.
    const gapped = w2Like(100);
    const data = { bars: bars(5) };
    const a = data.bars[0]!;
    const close = a.close.slice();
    close[70] = NaN;
    data.bars[0] = { ...a, close };
    const gaps = transientRuns.gaps;
    const r = expectReference(gapped, data, { audit: false, indicatorCache: new IndicatorCache() });
    expect(transientRuns.gaps - gaps).toBe(2);
    expect(r.stats.tradeCount).toBeGreaterThan(0);
  });

  it('a worker\'s run and the columns a pool sends ahead leave them out; a chart and an explanation compute them without keeping them', () => {
    const service = createEngineService();
    const data = { bars: bars(5) };
    service.load('d', data);
    expect(data.bars.flatMap((b) => service.assetColumns(doc, undefined, b, undefined))).toEqual([]);
    const run = service.run({ id: 1, dataId: 'd', doc, audit: false });
    expect(run.engine).toBe('fast');
    expect(service.columnCounts('d')).toEqual({ computed: 0, seeded: 0 });
    const warm = new IndicatorCache();
    warm.warm(plan, data.bars);
    expect(service.overlays('d', doc, 50)).toEqual(chartOverlays(plan, data, warm, 50, doc.settings));
    expect(service.columnCounts('d')).toEqual({ computed: 0, seeded: 0 });
    // Explaining a bar streams them in the reference kernel: the same trees as with every column computed.
    const t = data.bars[0]!.time[500]!;
    expect(service.explain('d', doc, t)).toEqual(explain(doc, data, t, { indicatorCache: warm }));
    expect(service.columnCounts('d')).toEqual({ computed: 0, seeded: 0 });
    // A traced run (the kernel reads every slot) computes and keeps them.
    service.run({ id: 2, dataId: 'd', doc, audit: true });
    expect(service.columnCounts('d')).toEqual({ computed: 6, seeded: 0 });
  });
});

describe('a signal pass in parts (signalShare: the pool computes them on several workers at once)', () => {
  const doc = w2Like();
  const fast = { audit: false, engine: 'fast' as const };
  /** Every part, each computed as another worker would: its own cache, nothing shared with the run. */
  const parts = (d: StrategyDocument, data: MarketData, n: number): SignalShare[] =>
    Array.from({ length: n }, (_, k) => signalShare(d, data, k, n, { ...fast, indicatorCache: new IndicatorCache() })!);

  it('a run given every part computes no column and equals the run that makes its own pass, bit for bit (1, 2, 3, 9 parts)', () => {
    const data = { bars: bars(5) };
    const want = withoutEngine(expectReference(doc, data, { audit: false, indicatorCache: new IndicatorCache() }));
    for (const n of [1, 2, 3, 9]) {
      const shares = parts(doc, data, n);
      expect(shares.every((s) => s !== null)).toBe(true);
      // Every strategy's events in exactly one part.
      expect(shares.flatMap((s) => [...s.strategies]).sort((x, y) => x - y)).toEqual(doc.strategies.map((_, i) => i));
      const before = transientRuns.columns;
      const r = runBacktest(doc, data, { ...fast, indicatorCache: new IndicatorCache(), shares });
      expect(transientRuns.columns - before).toBe(0);
      expect(same(withoutEngine(r), want)).toBeNull();
    }
  });

  it('a part that does not fit is left out and its groups computed by the run: a missing part, a run holding the columns, a column with gaps', () => {
    const data = { bars: bars(5) };
    const want = withoutEngine(expectReference(doc, data, { audit: false, indicatorCache: new IndicatorCache() }));
    const [first] = parts(doc, data, 2);
    const before = transientRuns.columns;
    expect(same(withoutEngine(runBacktest(doc, data, { ...fast, indicatorCache: new IndicatorCache(), shares: [first!] })), want)).toBeNull();
    expect(transientRuns.columns - before).toBeGreaterThan(0);
    // A worker whose cache holds the columns (a sweep ran there) records no values with its events: the parts
    // (recorded in scratch) do not fit its walk, so it makes its own pass.
    const warm = new IndicatorCache();
    runBacktest(doc, data, { ...fast, record: 'stats', indicatorCache: warm });
    expect(same(withoutEngine(runBacktest(doc, data, { ...fast, indicatorCache: warm, shares: parts(doc, data, 2) })), want)).toBeNull();
    // A column with a gap (as in the test above): a part does not say where it is ready; the run finds out.
    const gapped = w2Like(100);
    const holed = { bars: bars(5) };
    const a = holed.bars[0]!, close = a.close.slice();
    close[70] = NaN;
    holed.bars[0] = { ...a, close };
    const shares = parts(gapped, holed, 2);
    expect(shares.flatMap((s) => [...s.ready]).filter((r) => r === -1).length).toBeGreaterThan(0);
    const ref = withoutEngine(expectReference(gapped, holed, { audit: false, indicatorCache: new IndicatorCache() }));
    expect(same(withoutEngine(runBacktest(gapped, holed, { ...fast, indicatorCache: new IndicatorCache(), shares })), ref)).toBeNull();
  });

  it('no part where the run keeps its columns or does not take the fast path: statistics runs, traces, the reference', () => {
    const data = { bars: bars(5) };
    const cache = () => new IndicatorCache();
    expect(signalShare(doc, data, 0, 2, { ...fast, record: 'stats', indicatorCache: cache() })).toBeNull();
    expect(signalShare(doc, data, 0, 2, { audit: true, indicatorCache: cache() })).toBeNull();
    // Without a cache the run takes the fast path too (a one-off run): its parts are those of a run with one.
    expect(signalShare(doc, data, 0, 2, { audit: false })).not.toBeNull();
    expect(signalShare(doc, data, 0, 2, { audit: false })).toEqual(signalShare(doc, data, 0, 2, { audit: false, indicatorCache: cache() }));
    expect(signalShare(doc, data, 0, 2, { audit: false, engine: 'reference', indicatorCache: cache() })).toBeNull();
    expect(() => signalShare(doc, data, 2, 2, { ...fast, indicatorCache: cache() })).toThrow(RangeError);
  });
});
