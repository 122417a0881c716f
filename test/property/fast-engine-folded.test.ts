/**
 * Stats-only runs on the compiled walk fold their statistics as the walk goes (SeriesStats, in chunks and
 * straight from the close column on quiet single-asset stretches) instead of recording every step and
 * reading it back. Pinned here: the folded statistics equal the recorded ones bit for bit — the accumulator
 * on its own against computeStats over whole arrays, in random chunks; and whole runs longer than several
 * chunks (the property in fast-engine.test.ts uses short data) against the reference kernel and against the
 * fast path's own full-record run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest, type RunOptions } from '../../src/engine/index.ts';
import { walkRuns } from '../../src/engine/fast/run.ts';
import { computeStats, statsOf, type StatsInput } from '../../src/engine/stats.ts';
import { SeriesStats } from '../../src/engine/series-stats.ts';
import { parseDocument, type BarColumns, type Expr, type StrategyDocument } from '../../src/schema/index.ts';
import { lcg } from '../helpers/lcg.ts';
import { same } from '../helpers/same-bits.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 29, 14);
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 17);

const GAPS = [1, 1, 1, 1, 2, 18, 66, 24 * 9];

/**
 * n hourly steps of a gentle random walk (0.2 % moves, so crossings are rare and stretches between events
 * long, the sweep shape): asset A has a bar at every step; with two assets B has one at every step
 * ('aligned') or at about half of them ('irregular').
 */
function walkBars(r: () => number, n: number, shape: 'single' | 'aligned' | 'irregular'): BarColumns[] {
  const symbols = shape === 'single' ? ['A'] : ['A', 'B'];
  const rows = symbols.map(() => ({ time: [] as number[], close: [] as number[], open: [] as number[] }));
  const last = symbols.map(() => 100);
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += GAPS[Math.floor(r() * GAPS.length)]! * HOUR;
    symbols.forEach((_, a) => {
      if (a === 1 && shape === 'irregular' && r() < 0.5) return;
      const open = last[a]!;
      const close = open * (1 + 0.004 * (r() - 0.5));
      last[a] = close;
      rows[a]!.time.push(t);
      rows[a]!.open.push(open);
      rows[a]!.close.push(close);
    });
  }
  return symbols.map((symbol, a) => {
    const { time, open, close } = rows[a]!;
    const f = (x: number[]) => Float64Array.from(x);
    return {
      symbol, timeframe: '1h', length: time.length, time: f(time), open: f(open), close: f(close),
      high: Float64Array.from(close, (c, i) => Math.max(c, open[i]!) * 1.001), low: Float64Array.from(close, (c, i) => Math.min(c, open[i]!) * 0.999),
      volume: new Float64Array(time.length).fill(1000),
    };
  });
}

function accumulators(s: SeriesStats): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('ix')));
}

describe('folded statistics ≡ recorded statistics', () => {
  it('SeriesStats fed in random chunks (arrays or marked closes) equals computeStats over the whole arrays', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 400 }), fc.boolean(), fc.constantFrom(-Infinity, 0, 0.5, Infinity), (s, n, withBench, tradableAt) => {
        const r = lcg(s);
        const time = new Float64Array(n), close = new Float64Array(n), equity = new Float64Array(n), bench = new Float64Array(n), days = new Float64Array(n);
        const exposed = new Uint8Array(n);
        const cash = 1000 * (r() - 0.3), qty = r() < 0.2 ? 0 : 200 * (r() - 0.5);
        let t = T0, c = 10;
        for (let i = 0; i < n; i++) {
          t += GAPS[Math.floor(r() * GAPS.length)]! * HOUR;
          c = Math.max(0.5, c + (r() - 0.5));
          time[i] = t;
          close[i] = c;
          equity[i] = cash + qty * c;
          // Invalid benchmark prices (NaN, 0, negative) are skipped by beta and buy & hold alike.
          bench[i] = r() < 0.1 ? [NaN, 0, -1][Math.floor(r() * 3)]! : c * 2;
          days[i] = Math.floor(t / 86_400_000);
          exposed[i] = qty !== 0 ? 1 : 0;
        }
        const tradableFrom = Number.isFinite(tradableAt) ? time[Math.floor(tradableAt * (n - 1))]! : tradableAt;
        const dayKey = (x: number) => Math.floor(x / 86_400_000);
        const input: StatsInput = {
          time, equity, length: n, benchmark: withBench ? bench : null, exposed, trades: [], initialEquity: 1000, feesPaid: 3,
          tradedNotional: 5000, riskFreeRate: 0.01, dayKey, days, tradableFrom,
        };
        const whole = computeStats(input);
        const folded = new SeriesStats(withBench, tradableFrom, dayKey);
        for (let i = 0; i < n;) {
          const end = Math.min(n, i + 1 + Math.floor(r() * 50));
          if (r() < 0.5) folded.addMarked(time, close, cash, qty, exposed[i]!, withBench ? bench : null, days, i, end);
          else folded.add(time.subarray(i), equity.subarray(i), exposed.subarray(i), withBench ? bench.subarray(i) : null, r() < 0.5 ? days.subarray(i) : undefined, end - i);
          i = end;
        }
        folded.close();
        expect(same(statsOf(folded, input), whole, 'stats')).toBeNull();
        // And every accumulator, including those no statistic shows at this size (the gap classes behind P);
        // not the `ix…` fields, which hold the data set's indexes a marked fold last read and its cursors.
        const once = new SeriesStats(withBench, tradableFrom, dayKey);
        once.add(time, equity, exposed, withBench ? bench : null, days, n);
        once.close();
        expect(same(accumulators(folded), accumulators(once), 'series')).toBeNull();
        const gaps = [0, 0, 0, 0];
        for (let i = 1; i < n; i++) {
          const days = (time[i]! - time[i - 1]!) / 86_400_000;
          gaps[days < 5.5 ? 0 : days < 25 ? 1 : days < 300 ? 2 : 3]!++;
        }
        expect([...folded.gaps]).toEqual(gaps);
      }),
      { numRuns: runs * 2, seed },
    );
  });

  it('stats-only runs longer than many chunks: the folding compiled walk equals the reference and its own full record', () => {
    const before = walkRuns.folded;
    fc.assert(
      fc.property(
        fc.integer(), fc.integer({ min: 9_000, max: 14_000 }), fc.constantFrom('single', 'single', 'aligned', 'irregular' as const), fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 7, max: 60 }), fc.constantFrom(-1, 0, 0.5), fc.constantFrom('nextOpen', 'close' as const), fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }), fc.constantFrom('A', 'B'), fc.boolean(),
        (s, n, shape, fast, slow, down, fillModel, closeAtEnd, fromDay, benchmark, ticks) => {
          const r = lcg(s);
          const bars = walkBars(r, n, shape);
          const universe = shape === 'single' ? ['A'] : ['A', 'B'];
          const sma = (asset: string, b: number): Expr => ({ kind: 'sma', asset, window: { bars: b } });
          const cross = (asset: string, w: number) => [
            { id: `up-${asset}`, name: 'up', condition: { lhs: sma(asset, fast), op: 'crossesAbove' as const, rhs: sma(asset, slow) }, action: { type: 'setWeight' as const, asset, weight: w } },
            { id: `down-${asset}`, name: 'down', condition: { lhs: sma(asset, fast), op: 'crossesBelow' as const, rhs: sma(asset, slow) }, action: { type: 'setWeight' as const, asset, weight: down * w } },
          ];
          const parsed = parseDocument({
            version: 1, name: 'folded',
            settings: {
              universe, timeframe: '1h', initialCash: 10_000, fees: { fraction: 0.001 }, units: 'fractional', allowShort: down < 0, fillModel, closeAtEnd,
              benchmark: shape === 'single' ? 'A' : benchmark,
              range: fromDay === undefined ? undefined : { from: new Date(T0 + fromDay * 24 * HOUR).toISOString().slice(0, 10) },
            },
            strategies: shape === 'single' ? cross('A', 1) : [...cross('A', 0.6), ...cross('B', 0.3)],
          });
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
          const doc: StrategyDocument = parsed.doc;
          const data = { bars };
          const opts: RunOptions = { audit: false, onProgress: ticks ? () => {} : undefined };
          const folded = runBacktest(doc, data, { ...opts, engine: 'fast', record: 'stats' });
          const ref = runBacktest(doc, data, { ...opts, engine: 'reference', record: 'stats' });
          const full = runBacktest(doc, data, { ...opts, engine: 'fast', record: 'full' });
          expect(folded.engine, folded.engineNote).toBe('fast');
          expect(same(folded.stats, ref.stats, 'stats')).toBeNull();
          expect(same(folded.stats, full.stats, 'stats')).toBeNull();
          expect(same(folded.trades, ref.trades, 'trades')).toBeNull();
        },
      ),
      { numRuns: Math.max(12, Math.ceil(runs / 6)), seed },
    );
    expect(walkRuns.folded - before).toBeGreaterThanOrEqual(Math.max(12, Math.ceil(runs / 6)));
  });
});
