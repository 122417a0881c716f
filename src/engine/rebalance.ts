import type { CompiledAction } from '../strategy/index.ts';

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
