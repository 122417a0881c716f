import { Rng } from '../lib/rng.ts';
import { countFeasible, formatConstraint, type Stats } from '../schema/index.ts';
import { compile } from '../strategy/index.ts';
import type { EvaluationScope, EvaluatorFactory } from './evaluator.ts';
import { geneticSearch, type GeneticOptions } from './genetic.ts';
import { gridSearch } from './grid.ts';
import { Ledger, type Progress } from './ledger.ts';
import { objectiveLabel, type Constraints, type Objective } from './objective.ts';
import type { Outcome, StopReason } from './outcome.ts';
import { randomSearch } from './random.ts';
import type { Scored } from './rank.ts';
import { buildSpace, genomeNear, paramsOf, SpaceError, type SearchSpace } from './space.ts';

export type Method = 'grid' | 'random' | 'genetic';
export const METHODS: readonly Method[] = ['grid', 'random', 'genetic'];

export interface SearchOptions {
  method: Method;
  /** Default 'sharpe'. */
  objective?: Objective;
  constraints?: Constraints;
  /**
   * Distinct candidates to evaluate (random, genetic; default 1,000). For a grid it is a ceiling: a grid
   * larger than it is an error rather than a run that never ends (default ceiling 1,000,000).
   */
  evaluations?: number;
  /** Default 1. Same seed ⇒ same result, in one worker or many. */
  seed?: number;
  /** Parameters to search; default every parameter with more than one value. */
  parameters?: readonly string[];
  /** Values for parameters that are not searched. */
  fixed?: Readonly<Record<string, number>>;
  genetic?: GeneticOptions;
  /** Candidates per evaluator call (grid and random; default 256). A genetic batch is one generation. */
  batchSize?: number;
  /** How many ranked candidates the result lists (default 10). */
  top?: number;
}

export const DEFAULT_EVALUATIONS = 1000;
export const GRID_CEILING = 1_000_000;

/** A candidate as results show it: the full parameter vector, its statistics and where it stands. */
export interface Candidate {
  params: Record<string, number>;
  stats: Stats;
  score: number;
  feasible: boolean;
}

export interface SearchResult {
  method: Method;
  objective: string;
  seed: number;
  /** The winner (ranked first); null only when nothing was evaluated. */
  best: Candidate | null;
  /** The best `top` candidates, best first. */
  top: Candidate[];
  /** Distinct candidates evaluated. */
  evaluations: number;
  elapsedMs: number;
  evaluationsPerSecond: number;
  stopReason: StopReason;
  generations: number;
  /** Searched parameters and their value counts; `gridSize` is their product. */
  space: { name: string; count: number }[];
  gridSize: number;
  /**
   * Combinations of `space` that satisfy the document's parameter constraints (gridSize without any; null
   * when the grid is too large to count). The rest were excluded: never evaluated.
   */
  feasibleSize: number | null;
}

export function candidateOf(space: SearchSpace, s: Scored): Candidate {
  return { params: paramsOf(space, s.genome), stats: s.stats, score: s.score, feasible: s.feasible };
}

/** One search over one scope (the whole data, or one walk-forward in-sample window). */
export async function search(
  scope: EvaluationScope,
  options: SearchOptions,
  factory: EvaluatorFactory,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<SearchResult> {
  const space = buildSpace(scope.doc, options);
  const objective = options.objective ?? 'sharpe';
  const seed = options.seed ?? 1;
  const batch = Math.max(1, Math.round(options.batchSize ?? 256));
  const requested = options.evaluations;
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1)) throw new SpaceError(`evaluations must be a whole number ≥ 1, got ${requested}`);
  const defaults = resolvedDefaults(scope, space);
  // A broken document should fail here, once, not as a search in which every candidate scores NaN.
  compile(scope.doc, { params: defaults });
  const start = genomeNear(space, defaults);

  const constraints = scope.doc.parameterConstraints ?? [];
  const feasibleSize = countFeasible(constraints, space.dims, space.fixed);
  if (feasibleSize === 0) {
    throw new SpaceError(`no combination of ${space.dims.map((d) => d.name).join(', ')} satisfies the parameter constraints (${constraints.map(formatConstraint).join(', ')}); widen the ranges or change a constraint`);
  }
  const available = feasibleSize ?? space.size;
  let total: number;
  if (options.method === 'grid') {
    const ceiling = requested ?? GRID_CEILING;
    if (available > ceiling) {
      const of = feasibleSize !== null && feasibleSize < space.size ? ` (${feasibleSize} of ${space.size} satisfy the parameter constraints)` : '';
      throw new SpaceError(`the grid has ${available} candidates${of}, more than ${ceiling}; use --method random or genetic, or narrow the ranges`);
    }
    total = available;
  } else {
    total = Math.min(requested ?? DEFAULT_EVALUATIONS, available);
  }
  const ledger = new Ledger(space, factory(scope), { objective, constraints: options.constraints ?? {}, signal, onProgress, total });
  const rng = new Rng(seed);
  const t0 = performance.now();
  let outcome: Outcome;
  switch (options.method) {
    case 'grid': outcome = await gridSearch(ledger, batch); break;
    case 'random': outcome = await randomSearch(ledger, rng, total, batch, available); break;
    case 'genetic': outcome = await geneticSearch(ledger, rng, total, start, options.genetic, available); break;
    default: throw new SpaceError(`unknown method "${options.method as string}"; expected ${METHODS.join(', ')}`);
  }
  const elapsedMs = performance.now() - t0;
  const ranked = ledger.ranked();
  return {
    method: options.method,
    objective: objectiveLabel(objective),
    seed,
    best: ranked[0] ? candidateOf(space, ranked[0]) : null,
    top: ranked.slice(0, Math.max(1, options.top ?? 10)).map((s) => candidateOf(space, s)),
    evaluations: ledger.count,
    elapsedMs,
    evaluationsPerSecond: elapsedMs > 0 ? (ledger.count / elapsedMs) * 1000 : NaN,
    stopReason: outcome.stopReason,
    generations: outcome.generations,
    space: space.dims.map((d) => ({ name: d.name, count: d.values.length })),
    gridSize: space.size,
    feasibleSize,
  };
}

function resolvedDefaults(scope: EvaluationScope, space: SearchSpace): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(scope.doc.parameters)) out[name] = space.fixed[name] ?? p.default;
  return out;
}
