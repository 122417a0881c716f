import type { Rng } from '../lib/rng.ts';
import type { Ledger } from './ledger.ts';
import type { Outcome } from './outcome.ts';
import { COUNT_LIMIT } from '../schema/index.ts';
import { genomeAt, type Genome, type SearchSpace } from './space.ts';

/** Uniform integer in [0, n) for any n up to 2^53 (one 32-bit draw would leave large grids unreachable). */
export function uniformBelow(rng: Rng, n: number): number {
  if (n <= 4294967296) return Math.floor(rng.next() * n);
  const u = (rng.nextU32() * 2097152 + (rng.nextU32() >>> 11)) / 9007199254740992;
  return Math.floor(u * n);
}

/**
 * Distinct grid positions, uniformly without replacement, one at a time: a partial Fisher–Yates shuffle over
 * the virtual array 0…size−1, with the swapped entries held in a Map so huge grids cost nothing to "allocate".
 */
export class PositionDraw {
  private i = 0;
  private readonly swapped = new Map<number, number>();

  constructor(private readonly rng: Rng, readonly size: number) {}

  get remaining(): number {
    return this.size - this.i;
  }

  next(): number {
    const j = this.i + uniformBelow(this.rng, this.size - this.i);
    const at = (k: number) => this.swapped.get(k) ?? k;
    const out = at(j);
    this.swapped.set(j, at(this.i));
    this.i++;
    return out;
  }
}

/** `count` distinct grid positions, uniformly without replacement. */
export function distinctPositions(rng: Rng, size: number, count: number): number[] {
  const draw = new PositionDraw(rng, size);
  const take = Math.min(count, size);
  const out: number[] = [];
  for (let i = 0; i < take; i++) out.push(draw.next());
  return out;
}

/** Draws per wanted candidate before a sample of a grid too large to count gives up on finding more feasible ones. */
export const REJECTION_DRAWS = 1000;

/**
 * Up to `count` distinct candidates that satisfy the parameter constraints, uniformly among them: positions
 * are drawn without replacement and infeasible ones skipped, so a candidate a constraint rejects is never
 * evaluated. Without constraints it draws exactly as `distinctPositions` (same seed, same sample as before).
 */
export function feasibleSample(rng: Rng, space: SearchSpace, count: number): Genome[] {
  const draw = new PositionDraw(rng, space.size);
  const ok = space.feasible;
  const maxDraws = space.size <= COUNT_LIMIT ? space.size : count * REJECTION_DRAWS;
  const out: Genome[] = [];
  for (let drawn = 0; out.length < count && draw.remaining > 0 && drawn < maxDraws; drawn++) {
    const g = genomeAt(space, draw.next());
    if (!ok || ok(g)) out.push(g);
  }
  return out;
}

/**
 * `budget` distinct random candidates satisfying the constraints, drawn up front from the seed, then evaluated
 * `batch` at a time. `available` is how many candidates satisfy the constraints (the grid size without any).
 */
export async function randomSearch(ledger: Ledger, rng: Rng, budget: number, batch: number, available: number): Promise<Outcome> {
  const genomes = feasibleSample(rng, ledger.space, budget);
  for (let start = 0; start < genomes.length; start += batch) await ledger.evaluate(genomes.slice(start, start + batch));
  return { stopReason: genomes.length >= available || genomes.length < budget ? 'exhausted' : 'budget', generations: 0 };
}
