import { feasibilityOf, parameterValues, type StrategyDocument } from '../schema/index.ts';

export { parameterValues };

/**
 * The search space: every varied parameter is a finite, sorted list of values, and a candidate is one index
 * per varied parameter. Discrete indices make "the same candidate" exact (no float keys), give genetic
 * operators a natural neighbourhood (±k steps), and let a grid be enumerated by counting.
 */
export interface Dimension {
  readonly name: string;
  readonly values: readonly number[];
}

export interface SearchSpace {
  readonly dims: readonly Dimension[];
  /** Values of the parameters that are not searched (defaults, or caller-fixed values). */
  readonly fixed: Readonly<Record<string, number>>;
  /** Number of distinct candidates (the grid size); Infinity never happens, but it may exceed 2^53 in theory. */
  readonly size: number;
  /**
   * The document's parameter constraints over candidates (null: none). A search never evaluates a candidate
   * it rejects; the ledger refuses one as a bug.
   */
  readonly feasible: ((g: Genome) => boolean) | null;
}

/** A candidate: one index into each dimension's values, in `dims` order. */
export type Genome = readonly number[];

export class SpaceError extends Error {
  override name = 'SpaceError';
}

export interface SpaceOptions {
  /** Search only these parameters (others stay fixed); default: every parameter with more than one value. */
  parameters?: readonly string[];
  /** Values for parameters that are not searched (e.g. a heatmap's "others at the best"). */
  fixed?: Readonly<Record<string, number>>;
}

export function buildSpace(doc: StrategyDocument, opts: SpaceOptions = {}): SearchSpace {
  const names = Object.keys(doc.parameters);
  for (const n of opts.parameters ?? []) {
    if (!(n in doc.parameters)) throw new SpaceError(`unknown parameter "${n}"; the document declares: ${names.join(', ') || 'none'}`);
  }
  for (const n of Object.keys(opts.fixed ?? {})) {
    if (!(n in doc.parameters)) throw new SpaceError(`unknown parameter "${n}"; the document declares: ${names.join(', ') || 'none'}`);
  }
  const dims: Dimension[] = [];
  const fixed: Record<string, number> = {};
  for (const name of names) {
    const p = doc.parameters[name]!;
    const values = parameterValues(p);
    const wanted = opts.parameters ? opts.parameters.includes(name) : values.length > 1 && opts.fixed?.[name] === undefined;
    if (wanted) dims.push({ name, values });
    else fixed[name] = opts.fixed?.[name] ?? p.default;
  }
  const size = dims.reduce((n, d) => n * d.values.length, 1);
  return { dims, fixed, size, feasible: feasibilityOf(doc.parameterConstraints, dims, fixed) };
}

/** The full parameter vector of a candidate (searched and fixed parameters), ready for compile(). */
export function paramsOf(space: SearchSpace, g: Genome): Record<string, number> {
  const out: Record<string, number> = { ...space.fixed };
  space.dims.forEach((d, i) => {
    out[d.name] = d.values[g[i]!]!;
  });
  return out;
}

/** A stable identity for the memo: the same indices ⇒ the same key. */
export function keyOf(g: Genome): string {
  return g.join(',');
}

/** Lexicographic order on indices: the deterministic tie-break between equal scores. */
export function compareGenomes(a: Genome, b: Genome): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The candidate at position `n` of the grid, last dimension varying fastest (mixed-radix counting). */
export function genomeAt(space: SearchSpace, n: number): number[] {
  const g = new Array<number>(space.dims.length);
  for (let i = space.dims.length - 1; i >= 0; i--) {
    const radix = space.dims[i]!.values.length;
    g[i] = n % radix;
    n = Math.floor(n / radix);
  }
  return g;
}

/** The candidate nearest to the given values (the document's defaults, a previous best). */
export function genomeNear(space: SearchSpace, values: Readonly<Record<string, number>>): number[] {
  return space.dims.map((d) => {
    const v = values[d.name];
    if (v === undefined) return 0;
    let best = 0;
    for (let i = 1; i < d.values.length; i++) if (Math.abs(d.values[i]! - v) < Math.abs(d.values[best]! - v)) best = i;
    return best;
  });
}
