/**
 * The engine service's side of a budgeted sweep (src/rpc/pool.ts): which columns candidates read
 * (sweepNeeds), columns computed into memory handed over (computeSweep), and columns lent to one chunk.
 */
import { describe, expect, it } from 'vitest';
import { generateMinuteBars } from '../../../src/data/index.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { createEngineService } from '../../../src/engine/service.ts';
import { prepareData } from '../../../src/rpc/pool-data.ts';
import { parseDocument } from '../../../src/schema/index.ts';

const r = parseDocument({
  version: 1, name: 'sweep kinds', settings: { universe: ['S0', 'S1'], timeframe: '1m', units: 'fractional', allowShort: true },
  parameters: { n: { default: 20, min: 5, max: 60, step: 5 } },
  strategies: [
    { id: 'x', name: 'x', condition: { lhs: { kind: 'ema', window: { bars: { $param: 'n' } } }, op: 'crossesAbove', rhs: { kind: 'bollinger', window: { duration: '2h' }, band: 'middle' } }, action: { type: 'setWeight', weight: 0.5 } },
    { id: 'y', name: 'y', condition: { lhs: { kind: 'rsi', asset: 'S1', window: { bars: { $param: 'n' } } }, op: '<', rhs: 30 }, action: { type: 'setWeight', asset: 'S1', weight: -0.5 } },
    { id: 'z', name: 'z', condition: { lhs: { kind: 'macd', asset: 'S1', fast: { bars: 12 }, slow: { bars: 26 }, signal: { bars: 9 }, output: 'histogram' }, op: '>', rhs: 0 }, action: { type: 'closeAll' } },
    { id: 'w', name: 'w', condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'rebalance', universe: { candidates: ['S0', 'S1'], weighting: { kind: 'inverseVolatility', window: { bars: 30 } } } } },
    { id: 'v', name: 'v', condition: { lhs: { kind: 'sma', asset: 'S1', window: { bars: 50 } }, op: '>', rhs: { kind: 'stddev', asset: 'S1', window: { bars: 20 } } }, action: { type: 'closeAll' } },
  ],
});
if (!r.ok) throw new Error(JSON.stringify(r.errors));
const doc = r.doc;
const plain = { bars: generateMinuteBars({ symbols: ['S0', 'S1'], years: 0.02, seed: 7 }) };
const data = prepareData(plain, true);
const params = [{ n: 10 }, { n: 20 }, { n: 40 }];

const bytesOf = (c: Float64Array) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength);

describe('engine service: budgeted sweep columns', () => {
  it('sweepNeeds lists each distinct column once, with what each candidate reads', () => {
    const svc = createEngineService();
    svc.load('d', data);
    const needs = svc.sweepNeeds('d', doc, params);
    expect(needs.reads).toHaveLength(3);
    expect(new Set(needs.columns.map((c) => c.id)).size).toBe(needs.columns.length);
    // EMA(n) and RSI(n) per candidate; Bollinger, MACD, the volatility, SMA and standard deviation read by all three.
    const shared = needs.columns.filter((_, k) => needs.reads.every((rd) => rd.includes(k)));
    expect(needs.columns.length - shared.length).toBe(6);
    expect(needs.reads.every((rd) => rd.length === shared.length + 2)).toBe(true);
  });

  it('computeSweep writes every kind of column into used memory exactly as into new memory (kernels and streaming, several outputs)', () => {
    const svc = createEngineService();
    svc.load('d', data);
    const needs = svc.sweepNeeds('d', doc, params);
    const ids = needs.columns.map((c) => c.id);
    const reps = needs.columns.map((_, k) => params[needs.reads.findIndex((rd) => rd.includes(k))]!);
    const fresh = svc.computeSweep('d', doc, reps, ids, []);
    expect(fresh.recycled).toBe(0);
    // Buffers full of another column's bytes (here: 7s and NaNs), one per output.
    const dirty = needs.columns.flatMap((c) => Array.from({ length: c.outputs }, (_, o) => {
      const b = new SharedArrayBuffer(c.length * 8);
      new Float64Array(b).fill(o % 2 === 0 ? 7 : NaN);
      return b;
    }));
    const again = svc.computeSweep('d', doc, reps, ids, dirty);
    expect(again.recycled).toBe(dirty.length);
    expect(again.unused).toHaveLength(0);
    expect(again.columns.map((c) => c.id)).toEqual(fresh.columns.map((c) => c.id));
    again.columns.forEach((c, k) => {
      expect(c.columns.length).toBe(fresh.columns[k]!.columns.length);
      c.columns.forEach((col, o) => expect(bytesOf(col)).toEqual(bytesOf(fresh.columns[k]!.columns[o]!)));
    });
    // Counted as computed, and not kept: the worker's cache computed nothing and holds none of them.
    expect(svc.columnCounts('d')).toEqual({ computed: 2 * ids.length, seeded: 0 });
  });

  it('evaluate with lent columns gives the stats of plain runs and keeps none of them', () => {
    const svc = createEngineService();
    svc.load('d', data);
    const needs = svc.sweepNeeds('d', doc, params);
    const reps = needs.columns.map((_, k) => params[needs.reads.findIndex((rd) => rd.includes(k))]!);
    const { columns } = svc.computeSweep('d', doc, reps, needs.columns.map((c) => c.id), []);
    // Lent columns full of 7s: a run reading them scores differently, so a kept one would show.
    const sevens = columns.map((c) => ({ ...c, columns: c.columns.map((col) => new Float64Array(col.length).fill(7)) }));
    const expected = params.map((p) => runBacktest(doc, plain, { params: p, audit: false }).stats);
    expect(svc.evaluate({ id: 1, dataId: 'd', doc, params, columns })).toEqual(expected);
    expect(svc.evaluate({ id: 2, dataId: 'd', doc, params, columns: sevens })).not.toEqual(expected);
    expect(svc.evaluate({ id: 3, dataId: 'd', doc, params })).toEqual(expected);
  });
});
