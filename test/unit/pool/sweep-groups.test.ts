import { describe, expect, it } from 'vitest';
import type { SweepNeeds } from '../../../src/engine/service.ts';
import { sweepGroups } from '../../../src/rpc/sweep-groups.ts';

/** A fast × slow grid's needs: column f is fast window f, column F + s slow window s; `length` values each. */
function grid(fast: number, slow: number, length: number): SweepNeeds {
  const columns = [...Array.from({ length: fast }, (_, f) => `fast ${f}`), ...Array.from({ length: slow }, (_, s) => `slow ${s}`)]
    .map((id) => ({ id, asset: 'A', key: id, outputs: 1, length }));
  const reads: number[][] = [];
  for (let f = 0; f < fast; f++) for (let s = 0; s < slow; s++) reads.push([f, fast + s]);
  return { columns, reads };
}

const union = (needs: SweepNeeds, group: number[]) => new Set(group.flatMap((c) => needs.reads[c]!));

describe('sweepGroups: a budgeted sweep\'s candidates in groups of few columns', () => {
  it('W3\'s grid (20 fast × 50 slow, 34 columns of budget): groups of 14 slow windows with every fast one, each column in as few groups as can be', () => {
    const needs = grid(20, 50, 1000);
    const groups = sweepGroups(needs, 34 * 8000);
    expect(groups.map((g) => g.length)).toEqual([280, 280, 280, 160]);
    expect(groups.flat().sort((a, b) => a - b)).toEqual(needs.reads.map((_, i) => i));
    for (const g of groups) expect(union(needs, g).size).toBeLessThanOrEqual(34);
    // Slow columns (20 readers) each in one group; fast ones (50 readers) in every group, so a group's next
    // reads them where they are: 20 + 50 columns computed in all.
    for (let s = 0; s < 50; s++) expect(groups.filter((g) => union(needs, g).has(20 + s))).toHaveLength(1);
    for (let f = 0; f < 20; f++) expect(groups.filter((g) => union(needs, g).has(f))).toHaveLength(4);
  });

  it('a budget that holds everything is one group; a candidate over the budget alone is a group of its own; a candidate reading nothing costs nothing', () => {
    const needs = grid(3, 4, 10);
    expect(sweepGroups(needs, 7 * 80)).toHaveLength(1);
    const tight = sweepGroups(needs, 80);
    expect(tight).toHaveLength(12);
    expect(tight.every((g) => g.length === 1)).toBe(true);
    const withNothing: SweepNeeds = { columns: needs.columns, reads: [...needs.reads, []] };
    const groups = sweepGroups(withNothing, 7 * 80);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(13);
  });

  it('columns of several outputs count every output', () => {
    const needs: SweepNeeds = {
      columns: [{ id: 'bands', asset: 'A', key: 'b', outputs: 3, length: 10 }, { id: 'sma', asset: 'A', key: 's', outputs: 1, length: 10 }],
      reads: [[0], [1], [0, 1]],
    };
    expect(sweepGroups(needs, 4 * 80)).toHaveLength(1);
    expect(sweepGroups(needs, 3 * 80).map((g) => g.length).sort()).toEqual([1, 2]);
  });
});
