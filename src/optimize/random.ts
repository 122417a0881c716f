import type { Rng } from '../lib/rng.ts';
import type { Ledger } from './ledger.ts';
import type { Outcome } from './outcome.ts';
import { genomeAt, type Genome } from './space.ts';

/** Uniform integer in [0, n) for any n up to 2^53 (one 32-bit draw would leave large grids unreachable). */
export function uniformBelow(rng: Rng, n: number): number {
  if (n <= 4294967296) return Math.floor(rng.next() * n);
  const u = (rng.nextU32() * 2097152 + (rng.nextU32() >>> 11)) / 9007199254740992;
  return Math.floor(u * n);
}

/**
 * `count` distinct grid positions, uniformly without replacement: a partial Fisher–Yates shuffle over the
 * virtual array 0…size−1, with the swapped entries held in a Map so huge grids cost nothing to "allocate".
 */
export function distinctPositions(rng: Rng, size: number, count: number): number[] {
  const take = Math.min(count, size);
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < take; i++) {
    const j = i + uniformBelow(rng, size - i);
    const at = (k: number) => swapped.get(k) ?? k;
    out.push(at(j));
    swapped.set(j, at(i));
  }
  return out;
}

/** `budget` distinct random candidates, drawn up front from the seed, then evaluated `batch` at a time. */
export async function randomSearch(ledger: Ledger, rng: Rng, budget: number, batch: number): Promise<Outcome> {
  const genomes: Genome[] = distinctPositions(rng, ledger.space.size, budget).map((n) => genomeAt(ledger.space, n));
  for (let start = 0; start < genomes.length; start += batch) await ledger.evaluate(genomes.slice(start, start + batch));
  return { stopReason: genomes.length >= ledger.space.size ? 'exhausted' : 'budget', generations: 0 };
}
