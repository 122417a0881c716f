/**
 * The fast path's signal pass runs a generated loop once over the whole run on its first call, and CHUNK
 * (4,096) steps per call after that, handing the crossing memory and each sparse asset's cursor from one call
 * to the next (signals.ts). Regression test for that hand-over, on the second run of the same document:
 * crossings land exactly on the first steps of chunks, so a memory that started afresh per call (NaN) misses
 * them, and a cursor handed over one bar ahead reads the wrong bar of the sparse asset (both planted, both
 * fail). A cursor that started afresh (−1) would only cost time: it walks forward to the same bar.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import type { BarColumns } from '../../../src/schema/index.ts';
import { doc } from './helpers.ts';

const CHUNK = 4096;
const N = 3 * CHUNK + 100;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function columns(symbol: string, steps: readonly number[], price: (s: number) => number): BarColumns {
  const time = Float64Array.from(steps, (s) => T0 + s * HOUR);
  const close = Float64Array.from(steps, price);
  return { symbol, timeframe: '1h', length: steps.length, time, open: close, high: close, low: close, close, volume: new Float64Array(steps.length).fill(1) };
}

// A: below 100 until the second chunk's first step, above until the third's, below until the fourth's.
const aPrice = (s: number) => (s < CHUNK ? 99 : s < 2 * CHUNK ? 101 : s < 3 * CHUNK ? 99 : 101);
const every = Array.from({ length: N }, (_, s) => s);
// B: a bar on every third step only (its own cursor in the pass), crossing 50 on the first of its bars at or
// after each chunk start.
const bSteps = every.filter((s) => s % 3 === 0);
const bPrice = (s: number) => (Math.floor(s / CHUNK) % 2 === 0 ? 49 : 51);

const d = doc({ universe: ['A', 'B'], timeframe: '1h' }, [
  { id: 'a-up', condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: 'crossesAbove', rhs: 100 }, action: { type: 'setWeight', asset: 'A', weight: 0.5 } },
  { id: 'a-down', condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: 'crossesBelow', rhs: 100 }, action: { type: 'setWeight', asset: 'A', weight: 0 } },
  { id: 'b-up', condition: { lhs: { kind: 'price', asset: 'B', field: 'close' }, op: 'crossesAbove', rhs: 50 }, action: { type: 'setWeight', asset: 'B', weight: 0.25 } },
  { id: 'b-down', condition: { lhs: { kind: 'price', asset: 'B', field: 'close' }, op: 'crossesBelow', rhs: 50 }, action: { type: 'setWeight', asset: 'B', weight: 0 } },
  // Reads both assets, so its pass visits every step and B's value there comes through B's cursor.
  {
    id: 'ab-up',
    condition: { all: [
      { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: '>', rhs: 0 },
      { lhs: { kind: 'price', asset: 'B', field: 'close' }, op: 'crossesAbove', rhs: 50 },
    ] },
    action: { type: 'setWeight', asset: 'B', weight: 0.1 },
  },
]);
const data = { bars: [columns('A', every, aPrice), columns('B', bSteps, bPrice)] };

describe('signal pass in chunks', () => {
  it('crossings on the first step of a chunk fire on the fast path, as on the reference, run after run', () => {
    const ref = runBacktest(d, data, { engine: 'reference', audit: false });
    // The first run's loop is one call; the second runs in chunks.
    for (let run = 0; run < 2; run++) check(runBacktest(d, data, { engine: 'fast', audit: false }), ref);
  });
});

function check(fast: ReturnType<typeof runBacktest>, ref: ReturnType<typeof runBacktest>): void {
  expect(fast.engine).toBe('fast');
  const at = (r: typeof fast, id: string) => r.signals.filter((s) => s.strategyId === id).map((s) => (s.time - T0) / HOUR);
  expect(at(fast, 'a-up')).toEqual([CHUNK, 3 * CHUNK]);
  expect(at(fast, 'a-down')).toEqual([2 * CHUNK]);
  // B's first bar at or after each chunk start (multiples of 3).
  expect(at(fast, 'b-up')).toEqual([CHUNK + 2, 3 * CHUNK]);
  expect(at(fast, 'b-down')).toEqual([2 * CHUNK + 1]);
  expect(at(fast, 'ab-up')).toEqual([CHUNK + 2, 3 * CHUNK]);
  expect([fast.signals, fast.orders, fast.trades, fast.stats]).toEqual([ref.signals, ref.orders, ref.trades, ref.stats]);
}
