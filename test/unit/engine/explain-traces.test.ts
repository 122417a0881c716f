/**
 * Results as columns (issue 17): a run's trades, orders and signals survive the column codec bit for bit,
 * and the traces the columns leave out come back identical from explain (deterministic re-evaluation of
 * the signal's bar). Checked on the seeded determinism run (6 strategies, crossings, RSI, bands, a
 * universe rebalance; 3 minute-bar assets) and on random documents over random irregular data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainAt, runBacktest } from '../../../src/engine/index.ts';
import { columnTransferables, decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import type { RunResult, StrategyDocument } from '../../../src/schema/index.ts';
import type { MarketData } from '../../../src/engine/market.ts';
import { determinismData, determinismDoc } from '../../golden/determinism.ts';
import { dataArb, docArb, toBars } from '../../helpers/random-documents.ts';

/** Deep equality where numbers compare by Object.is (so -0 ≠ 0, NaN = NaN), and keys must match exactly. */
function sameBits(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return sameBits(Array.from(a as Float64Array), Array.from(b as Float64Array), path);
  const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} ≠ ${kb.join()}`;
  for (const k of ka) {
    const d = sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

const withoutTraces = (r: RunResult): RunResult => ({ ...r, signals: r.signals.map(({ trace: _, ...s }) => s) });

function check(doc: StrategyDocument, data: MarketData): number {
  let r: RunResult;
  try {
    r = runBacktest(doc, data);
  } catch (e) {
    if ((e as Error).name === 'RunError') return 0; // no bar in the document's range
    throw e;
  }
  expect(sameBits(decodeResult(encodeResult(r)), withoutTraces(r))).toBeNull();
  if (r.signals.length === 0) return 0;
  const explained = explainAt(doc, data, r.signals.map((s) => s.time));
  r.signals.forEach((s, i) => {
    const e = explained[i]!.find((x) => x.strategyId === s.strategyId);
    expect(e?.fired, `${s.strategyId} at ${s.time}`).toBe(true);
    expect(sameBits(e!.trace, s.trace), `${s.strategyId} at ${s.time}`).toBeNull();
  });
  return r.signals.length;
}

describe('results as columns', () => {
  it('the determinism run: columns round-trip bit for bit and explain yields every stored trace', () => {
    expect(check(determinismDoc(), determinismData())).toBeGreaterThan(50);
  });

  it('random documents on random irregular data: the same', () => {
    let signals = 0;
    fc.assert(fc.property(docArb, dataArb, (doc, steps) => { signals += check(doc, { bars: toBars(steps) }); }), { numRuns: 150 });
    expect(signals).toBeGreaterThan(100);
  });

  it('null and absent fields stay distinct, -0 and NaN keep their bits', () => {
    const r = runBacktest(determinismDoc(), determinismData());
    const o = { ...r.orders[0]!, fillTime: null, fillPrice: null, reason: null, fees: -0, quantity: NaN, type: 'stopLoss' as const, parentId: 7 };
    const s = { ...r.signals[0]!, weights: [], message: 'm', orderIds: [] };
    const t = { ...r.trades[0]!, pnl: -0, exitReason: 'trail' as const };
    const tiny: RunResult = { ...r, orders: [o], signals: [s, { ...s, weights: null, message: null }], trades: [t] };
    expect(sameBits(decodeResult(encodeResult(tiny)), withoutTraces(tiny))).toBeNull();
  });

  it('the transfer list holds every column buffer: after posting, nothing is left behind and the copy decodes the same', () => {
    const r = runBacktest(determinismDoc(), determinismData());
    const enc = encodeResult(r);
    const buffers = columnTransferables(enc.columns);
    const c = enc.columns;
    const arrays = [c.trades, c.orders, c.signals].flatMap((t) => [...Object.values(t.num), ...Object.values(t.state), ...Object.values(t.str)]);
    const g = c.signals;
    arrays.push(g.weightStart, g.weightNull, g.weightAsset, g.weightValue, g.orderStart, g.orderIds, g.message);
    const moved = structuredClone(enc, { transfer: buffers });
    // Every non-empty column was transferred (detached here), none was cloned.
    expect(arrays.filter((a) => a.byteLength > 0)).toEqual([]);
    expect(buffers.length).toBeGreaterThan(30);
    expect(sameBits(decodeResult(moved), withoutTraces(r))).toBeNull();
  });
});
