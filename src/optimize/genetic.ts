import type { Rng } from '../lib/rng.ts';
import type { Ledger } from './ledger.ts';
import type { Outcome } from './outcome.ts';
import { compareScored, improves, type Scored } from './rank.ts';
import { keyOf, type Genome } from './space.ts';
import { feasibleSample } from './random.ts';

export interface GeneticOptions {
  /** Individuals per generation (default: budget / 20, between 10 and 100). */
  population?: number;
  /** Contestants per tournament (default 3): larger ⇒ greedier selection. */
  tournament?: number;
  /** Probability that a child mixes both parents gene by gene (default 0.9); otherwise it copies one. */
  crossover?: number;
  /** Per-gene mutation probability (default 1 / number of parameters). */
  mutation?: number;
  /** Best individuals carried unchanged into the next generation (default 10 % of the population, ≥ 1). */
  elitism?: number;
  /** Stop after this many generations without a better best (default 10). */
  patience?: number;
}

interface Resolved {
  population: number;
  tournament: number;
  crossover: number;
  mutation: number;
  elitism: number;
  patience: number;
}

function resolve(o: GeneticOptions, budget: number, genes: number): Resolved {
  const population = Math.max(2, Math.round(o.population ?? Math.min(100, Math.max(10, budget / 20))));
  return {
    population,
    tournament: Math.max(1, Math.round(o.tournament ?? 3)),
    crossover: o.crossover ?? 0.9,
    mutation: o.mutation ?? 1 / Math.max(1, genes),
    elitism: Math.min(population - 1, Math.max(1, Math.round(o.elitism ?? population * 0.1))),
    patience: Math.max(1, Math.round(o.patience ?? 10)),
  };
}

/** How many children a generation may try before accepting a candidate the ledger already knows. */
const FRESH_TRIES = 10;

/**
 * Generational GA over genomes. Every random draw happens while a generation is built, before any of it
 * is evaluated, and selection reads only the ranked previous generation; so the same seed gives the same
 * search however a pool orders or splits the evaluations.
 */
export async function geneticSearch(
  ledger: Ledger, rng: Rng, budget: number, start: Genome, options: GeneticOptions = {}, available = ledger.space.size,
): Promise<Outcome> {
  const space = ledger.space;
  const ok = space.feasible ?? (() => true);
  const o = resolve(options, budget, space.dims.length);
  const radix = space.dims.map((d) => d.values.length);
  // The defaults' nearest grid point seeds the search unless a parameter constraint rejects it.
  const initial: Genome[] = ok(start) ? [start] : [];
  const startKey = keyOf(start);
  for (const g of feasibleSample(rng, space, o.population)) {
    if (initial.length < Math.min(o.population, budget) && keyOf(g) !== startKey) initial.push(g);
  }
  if (initial.length === 0) return { stopReason: 'exhausted', generations: 0 };
  let population = (await ledger.evaluate(initial)).sort(compareScored);
  let best = ledger.best;
  let stale = 0;
  let generations = 1;

  for (;;) {
    if (ledger.count >= available) return { stopReason: 'exhausted', generations };
    if (ledger.count >= budget) return { stopReason: 'budget', generations };
    if (stale >= o.patience) return { stopReason: 'stagnation', generations };

    const next: Genome[] = population.slice(0, o.elitism).map((s) => s.genome);
    const keys = new Set(next.map(keyOf));
    let fresh = 0;
    const room = budget - ledger.count;
    for (let attempts = 0; next.length < o.population && fresh < room && attempts < o.population * FRESH_TRIES * 2; attempts++) {
      let child = breed(rng, population, o, radix);
      for (let t = 1; t < FRESH_TRIES && (!ok(child) || keys.has(keyOf(child)) || ledger.has(child)); t++) child = breed(rng, population, o, radix);
      const k = keyOf(child);
      if (!ok(child) || keys.has(k)) continue;
      keys.add(k);
      if (!ledger.has(child)) fresh++;
      next.push(child);
    }
    population = (await ledger.evaluate(next)).sort(compareScored);
    generations++;
    if (improves(ledger.best!, best)) {
      best = ledger.best;
      stale = 0;
    } else {
      stale++;
    }
  }
}

function tournament(rng: Rng, ranked: readonly Scored[], size: number): Scored {
  // `ranked` is best first, so the contestant with the lowest index wins.
  let winner = ranked.length - 1;
  for (let i = 0; i < size; i++) winner = Math.min(winner, Math.floor(rng.next() * ranked.length));
  return ranked[winner]!;
}

function breed(rng: Rng, ranked: readonly Scored[], o: Resolved, radix: readonly number[]): Genome {
  const a = tournament(rng, ranked, o.tournament).genome;
  const b = tournament(rng, ranked, o.tournament).genome;
  const mix = rng.next() < o.crossover;
  return radix.map((n, i) => {
    let gene = mix && rng.next() < 0.5 ? b[i]! : a[i]!;
    if (rng.next() < o.mutation) gene = mutate(rng, gene, n);
    return gene;
  });
}

/** Half the time a small step (local refinement), half the time anywhere (escapes local optima). */
function mutate(rng: Rng, gene: number, n: number): number {
  if (rng.next() < 0.5) return Math.floor(rng.next() * n);
  const reach = Math.max(1, Math.round(n * 0.1));
  const step = 1 + Math.floor(rng.next() * reach);
  const moved = rng.next() < 0.5 ? gene - step : gene + step;
  return Math.min(n - 1, Math.max(0, moved));
}
