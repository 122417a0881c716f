import type { CompiledAction, CompiledRule } from '../strategy/index.ts';
import type { Portfolio } from './portfolio.ts';

/**
 * Target weights of a rebalance. A universe rule: candidates whose filter holds → sorted by their key
 * (NaN keys last; ties keep candidate order) → the first `limit` → weights summing to totalWeight:
 * equal; proportional to a positive key (non-positive or NaN keys get nothing); inverse volatility
 * (1 / std dev of close-to-close returns; assets without a volatility yet get nothing).
 */
export function targetWeights(a: CompiledAction & { type: 'rebalance' }, v: Float64Array, mems: Float64Array[]): { asset: number; weight: number }[] {
  if (a.fixed) return a.fixed.map((x) => ({ asset: x.asset, weight: x.weight }));
  const rule = a.rule!;
  const picked: { asset: number; key: number; pos: number }[] = [];
  rule.candidates.forEach((asset, i) => {
    const f = rule.filters[i];
    if (f && !f.fast(v, mems[i]!)) return;
    picked.push({ asset, key: rule.sortKeys[i]?.(v) ?? 0, pos: i });
  });
  const dir = rule.order === 'asc' ? 1 : -1;
  picked.sort((x, y) => {
    const xn = Number.isNaN(x.key), yn = Number.isNaN(y.key);
    if (xn || yn) return xn === yn ? x.pos - y.pos : xn ? 1 : -1;
    return dir * (x.key - y.key) || x.pos - y.pos;
  });
  const chosen = picked.slice(0, Math.max(0, Math.floor(rule.limit)));
  const raw = chosen.map((c) => {
    if (rule.weighting === 'equal') return 1;
    const k = rule.weightKeys[rule.candidates.indexOf(c.asset)]!(v);
    if (rule.weighting === 'proportional') return k > 0 ? k : 0;
    return k > 0 ? 1 / k : 0;
  });
  const sum = raw.reduce((s, x) => s + x, 0);
  if (!(sum > 0)) return [];
  return chosen.map((c, i) => ({ asset: c.asset, weight: (raw[i]! / sum) * rule.totalWeight })).filter((x) => x.weight > 0);
}

/**
 * The orders of a rebalance, in submission order: held assets not in the target go to 0, and reductions
 * come first so their cash funds the increases (ties in asset order).
 */
export function rebalanceOrder(targets: readonly { asset: number; weight: number }[], p: Portfolio): { asset: number; weight: number }[] {
  const all = new Map<number, number>();
  p.qty.forEach((q, asset) => { if (q !== 0) all.set(asset, 0); });
  for (const t of targets) all.set(t.asset, t.weight);
  const equity = p.equity();
  const list = [...all].map(([asset, weight]) => ({ asset, weight, current: p.qty[asset]! * (p.mark[asset]! || 0) / equity }));
  list.sort((x, y) => (x.weight - x.current) - (y.weight - y.current) || x.asset - y.asset);
  return list.map(({ asset, weight }) => ({ asset, weight }));
}

/** A run's memory for a rule's filters (their crossings), one view per candidate, in candidates order. */
export function ruleMemory(rule: CompiledRule): Float64Array[] {
  const size = rule.filters.reduce((n, f) => n + (f?.memSize ?? 0), 0);
  const mem = new Float64Array(size).fill(NaN);
  const out: Float64Array[] = [];
  let off = 0;
  for (const f of rule.filters) {
    const n = f?.memSize ?? 0;
    out.push(mem.subarray(off, off + n));
    off += n;
  }
  return out;
}
