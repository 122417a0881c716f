import type { Stats } from '../schema/index.ts';
import { feasible, score, type Constraints, type Objective } from './objective.ts';
import { compareGenomes, type Genome } from './space.ts';

/** A candidate with its result and where it stands. */
export interface Scored {
  readonly genome: Genome;
  readonly stats: Stats;
  readonly score: number;
  readonly feasible: boolean;
}

export function scoreOf(genome: Genome, stats: Stats, objective: Objective, constraints: Constraints): Scored {
  return { genome, stats, score: score(stats, objective), feasible: feasible(stats, constraints) };
}

/** 0 feasible with a number, 1 infeasible with a number, 2 no number at all (NaN ranks last). */
function tier(s: Scored): number {
  if (Number.isNaN(s.score)) return 2;
  return s.feasible ? 0 : 1;
}

/**
 * Best first. Ties (equal tier and score) break on the genome, so the order depends only on the set of
 * candidates, never on the order a pool happened to return them in.
 */
export function compareScored(a: Scored, b: Scored): number {
  const t = tier(a) - tier(b);
  if (t !== 0) return t;
  if (a.score !== b.score && !Number.isNaN(a.score)) return a.score > b.score ? -1 : 1;
  return compareGenomes(a.genome, b.genome);
}

/** True when `a` improves on `b` by more than a tie-break: a better tier or a higher score (stagnation test). */
export function improves(a: Scored, b: Scored | undefined): boolean {
  if (b === undefined) return true;
  const t = tier(a) - tier(b);
  return t < 0 || (t === 0 && a.score > b.score);
}
