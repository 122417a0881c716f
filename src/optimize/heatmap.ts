import type { MarketData } from '../engine/index.ts';
import { feasibilityOf, type StrategyDocument } from '../schema/index.ts';
import { inProcess, invalidStats, type EvaluatorFactory } from './evaluator.ts';
import { Ledger, type Progress } from './ledger.ts';
import type { Constraints, Objective } from './objective.ts';
import { compareScored, type Scored } from './rank.ts';
import { buildSpace, keyOf, SpaceError, type Dimension, type SearchSpace } from './space.ts';

export interface HeatmapOptions {
  x: string;
  y: string;
  objective?: Objective;
  constraints?: Constraints;
  /** Values of the other parameters (e.g. the search's best); default their document defaults. */
  at?: Readonly<Record<string, number>>;
  /** At most this many values per axis, evenly spaced over the parameter's values (default 50). */
  resolution?: number;
  batchSize?: number;
}

export interface HeatmapResult {
  x: Dimension;
  y: Dimension;
  /** z[j][i]: objective at y.values[j], x.values[i]; NaN where undefined. */
  z: number[][];
  feasible: boolean[][];
  /** excluded[j][i]: the cell breaks a parameter constraint, so it was never evaluated (z is NaN). */
  excluded: boolean[][];
  /** The best cell (same ranking as the searches). */
  best: { i: number; j: number; score: number };
  /**
   * Mean objective of the best cell's (up to 8) neighbours ÷ its own: near 1 ⇒ a plateau, robust to
   * small parameter changes; near 0 or negative ⇒ a spike. NaN when the best score is not positive.
   */
  plateau: number;
}

/** Every `count`-th value, always keeping both ends, so a coarse map still spans the whole range. */
function thin(values: readonly number[], count: number): number[] {
  if (values.length <= count) return [...values];
  if (count <= 1) return [values[0]!];
  return Array.from({ length: count }, (_, k) => values[Math.round((k * (values.length - 1)) / (count - 1))]!);
}

/** A 2-D grid of the objective over two parameters with the others held fixed. */
export async function heatmap(
  doc: StrategyDocument,
  data: MarketData,
  options: HeatmapOptions,
  factory: EvaluatorFactory = inProcess(),
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<HeatmapResult> {
  if (options.x === options.y) throw new SpaceError('a heatmap needs two different parameters');
  const at = Object.fromEntries(Object.entries(options.at ?? {}).filter(([k]) => k !== options.x && k !== options.y));
  const full = buildSpace(doc, { parameters: [options.x, options.y], fixed: at });
  const resolution = Math.max(1, Math.round(options.resolution ?? 50));
  const dim = (name: string): Dimension => ({ name, values: thin(full.dims.find((d) => d.name === name)!.values, resolution) });
  const x = dim(options.x), y = dim(options.y);
  const ok = feasibilityOf(doc.parameterConstraints, [x, y], full.fixed);
  const space: SearchSpace = { dims: [x, y], fixed: full.fixed, size: x.values.length * y.values.length, feasible: ok };
  const ledger = new Ledger(space, factory({ id: 'heatmap', doc, data }), {
    objective: options.objective ?? 'sharpe', constraints: options.constraints ?? {}, signal, onProgress, total: space.size,
  });
  const cells: Scored[][] = [];
  const batch = Math.max(1, Math.round(options.batchSize ?? 256));
  const all: [number, number][] = [];
  for (let j = 0; j < y.values.length; j++) for (let i = 0; i < x.values.length; i++) all.push([i, j]);
  // Cells a parameter constraint rejects are never evaluated: they score NaN and show as excluded.
  const genomes = ok ? all.filter((g) => ok(g)) : all;
  const evaluated = new Map<string, Scored>();
  for (let s = 0; s < genomes.length; s += batch) {
    for (const r of await ledger.evaluate(genomes.slice(s, s + batch))) evaluated.set(keyOf(r.genome), r);
  }
  const none = invalidStats();
  const scored: Scored[] = all.map((g) => evaluated.get(keyOf(g)) ?? { genome: g, stats: none, score: NaN, feasible: false });
  for (let j = 0; j < y.values.length; j++) cells.push(scored.slice(j * x.values.length, (j + 1) * x.values.length));

  const top = [...scored].sort(compareScored)[0]!;
  const bi = top.genome[0]!, bj = top.genome[1]!;
  let sum = 0, count = 0;
  for (let dj = -1; dj <= 1; dj++) {
    for (let di = -1; di <= 1; di++) {
      const v = (di !== 0 || dj !== 0) ? cells[bj + dj]?.[bi + di]?.score : undefined;
      if (v !== undefined && Number.isFinite(v)) { sum += v; count++; }
    }
  }
  return {
    x, y,
    z: cells.map((row) => row.map((c) => c.score)),
    feasible: cells.map((row) => row.map((c) => c.feasible)),
    excluded: cells.map((row) => row.map((c) => (ok ? !ok(c.genome) : false))),
    best: { i: bi, j: bj, score: top.score },
    plateau: top.score > 0 && count > 0 ? sum / count / top.score : NaN,
  };
}
