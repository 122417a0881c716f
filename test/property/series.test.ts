/**
 * External series as a run reads them (issue 11 item 4), on random irregular bars and random series files:
 *   1. as-of: at every step the value the strategy saw is the value of the row with the latest known time
 *      (stamp + publication lag) ≤ the step's time — the last such row in the file when stamps repeat — and
 *      NaN before anything was known; a per-symbol series never shows another symbol's rows; the fast path
 *      (src/engine/fast) sees the same values at the same steps as the reference kernel;
 *   2. no look-ahead: rewriting every row that becomes known after T changes no decision at or before T.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importSeries } from '../../src/data/csv/series.ts';
import { runBacktest } from '../../src/engine/index.ts';
import { parseDocument, type BarColumns, type SignalEvent, type StrategyDocument } from '../../src/schema/index.ts';

const T0 = Date.UTC(2021, 0, 4);
const MIN = 60_000;

interface Row { symbol: 'A' | 'B'; stamp: number; value: number }

const rowArb = fc.record({
  symbol: fc.constantFrom('A' as const, 'B' as const),
  stamp: fc.integer({ min: -50, max: 400 }).map((m) => T0 + m * MIN),
  value: fc.integer({ min: -1000, max: 1000 }).map((v) => v / 8),
});
const caseArb = fc.record({
  bars: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }).map((xs) => xs.sort((a, b) => a - b).map((m) => T0 + m * MIN)),
  rows: fc.array(rowArb, { maxLength: 40 }),
  lagMin: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 })),
});

function barsOf(times: readonly number[]): BarColumns {
  const n = times.length, col = () => new Float64Array(n).fill(10);
  return { symbol: 'A', timeframe: '1m', length: n, time: Float64Array.from(times), open: col(), high: col(), low: col(), close: col(), volume: col() };
}

const csv = (rows: readonly Row[]) => `symbol,time_utc_ms,value\n${rows.map((r) => `${r.symbol},${r.stamp},${r.value}`).join('\n')}\n`;

/** Alerts on every step the per-symbol series of A is known; the trace holds the value it saw. */
const parsed = parseDocument({
  version: 1,
  name: 'series probe',
  settings: { universe: ['A'], timeframe: '1m', initialCash: 1000 },
  strategies: [{
    id: 'probe', name: 'probe',
    condition: { lhs: { kind: 'series', name: 'value', asset: 'A' }, op: '>', rhs: -1e9 },
    action: { type: 'alert', message: 'seen' },
  }],
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const DOC: StrategyDocument = parsed.doc;

/** Plain reference: the last row of A (file order breaks ties) whose stamp + lag ≤ t. */
function reference(rows: readonly Row[], lagMs: number, t: number): number {
  let best = -Infinity, value = NaN;
  rows.forEach((r) => {
    if (r.symbol === 'A' && r.stamp + lagMs <= t && r.stamp >= best) { best = r.stamp; value = r.value; }
  });
  return value;
}

const seen = (s: SignalEvent) => (s.trace as Extract<SignalEvent['trace'], { type: 'compare' }>).lhs.value;

/** The reference kernel's signals; the fast path (#17) must see the same values at the same steps. */
async function run(times: readonly number[], rows: readonly Row[], lagMs: number): Promise<SignalEvent[]> {
  const { series } = await importSeries(csv(rows), { name: 'value', lagMs, timezone: 'UTC' });
  const data = { bars: [barsOf(times)], series: series.length ? series : [{ name: 'value', symbol: 'A', length: 0, time: new Float64Array(0), value: new Float64Array(0) }] };
  const ref = runBacktest(DOC, data, { engine: 'reference' }).signals;
  const fast = runBacktest(DOC, data, { engine: 'fast' }).signals;
  expect(fast.map((s) => [s.time, seen(s)])).toEqual(ref.map((s) => [s.time, seen(s)]));
  return ref;
}


describe('external series (property)', () => {
  it('the value seen at each step is the last one known by then (stamp + lag ≤ t), never a later one or another symbol\'s', async () => {
    await fc.assert(fc.asyncProperty(caseArb, async ({ bars, rows, lagMin }) => {
      const lagMs = lagMin * MIN;
      const withA = rows.some((r) => r.symbol === 'A') ? rows : [...rows, { symbol: 'A' as const, stamp: T0 + 500 * MIN, value: 1 }];
      const signals = await run(bars, withA, lagMs);
      const want = bars.map((t) => ({ t, v: reference(withA, lagMs, t) })).filter((x) => !Number.isNaN(x.v));
      expect(signals.map((s) => ({ t: s.time, v: seen(s) }))).toEqual(want);
    }), { numRuns: 200 });
  });

  it('rewriting the rows known after T changes no decision at or before T', async () => {
    await fc.assert(fc.asyncProperty(caseArb, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 1000 }), async ({ bars, rows, lagMin }, cut, shift) => {
      const lagMs = lagMin * MIN, T = T0 + cut * MIN;
      const base = [...rows, { symbol: 'A' as const, stamp: T0, value: 0 }];
      const changed = base.map((r) => (r.stamp + lagMs > T ? { ...r, value: r.value + shift } : r));
      const before = (await run(bars, base, lagMs)).filter((s) => s.time <= T).map((s) => [s.time, seen(s)]);
      const after = (await run(bars, changed, lagMs)).filter((s) => s.time <= T).map((s) => [s.time, seen(s)]);
      expect(after).toEqual(before);
    }), { numRuns: 150 });
  });
});
