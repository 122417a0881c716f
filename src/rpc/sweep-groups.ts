import type { SweepNeeds } from '../engine/service.ts';

/** Bytes a sweep column takes (its outputs, 8 bytes a value). */
export const columnBytes = (c: SweepNeeds['columns'][number]): number => c.outputs * c.length * 8;

/**
 * A budgeted sweep's order (src/rpc/pool.ts evaluateBatch): the candidates in groups whose columns together
 * fit `budget` bytes, where one candidate alone may exceed it (those that read nothing more then join it).
 * Each candidate's columns are sorted rarest first (fewest readers) and candidates by those lists, so the
 * candidates of a group share their rarest columns, and the columns most candidates read (a grid's other
 * axis) are read by every group and stay computed from one group to the next. A W3 grid (20 fast × 50 slow
 * SMA windows, 7.5 MiB a column, 256 MiB) gives 4 groups of 14 slow windows with the 20 fast ones: each column
 * computed once, 34 at most at a time.
 * Candidate indices, each exactly once; the groups run in order.
 */
export function sweepGroups(needs: SweepNeeds, budget: number): number[][] {
  const uses = new Int32Array(needs.columns.length);
  for (const r of needs.reads) for (const k of r) uses[k]!++;
  const bytes = needs.columns.map(columnBytes);
  const rarest = needs.reads.map((r) => [...r].sort((a, b) => uses[a]! - uses[b]! || a - b));
  const order = rarest.map((_, i) => i).sort((a, b) => compareLists(rarest[a]!, rarest[b]!, uses) || a - b);
  const groups: number[][] = [];
  let group: number[] = [];
  let held = new Set<number>();
  let heldBytes = 0;
  for (const c of order) {
    const more = rarest[c]!.reduce((s, k) => s + (held.has(k) ? 0 : bytes[k]!), 0);
    if (group.length > 0 && more > 0 && heldBytes + more > budget) {
      groups.push(group);
      group = [];
      held = new Set();
      heldBytes = 0;
    }
    group.push(c);
    for (const k of rarest[c]!) {
      if (held.has(k)) continue;
      held.add(k);
      heldBytes += bytes[k]!;
    }
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Lists of column indices compared element by element, a column's readers first, then its index; a prefix first. */
function compareLists(a: readonly number[], b: readonly number[], uses: Int32Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!, y = b[i]!;
    if (x !== y) return uses[x]! - uses[y]! || x - y;
  }
  return a.length - b.length;
}
