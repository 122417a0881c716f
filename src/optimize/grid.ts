import type { Ledger } from './ledger.ts';
import { genomeAt, type Genome } from './space.ts';
import type { Outcome } from './outcome.ts';

/**
 * Every candidate that satisfies the parameter constraints, in counting order, `batch` at a time (a batch is
 * one evaluator call: one pool round). Rejected combinations are skipped, never evaluated.
 */
export async function gridSearch(ledger: Ledger, batch: number): Promise<Outcome> {
  const { size, feasible } = ledger.space;
  let genomes: Genome[] = [];
  for (let n = 0; n < size; n++) {
    const g = genomeAt(ledger.space, n);
    if (feasible && !feasible(g)) continue;
    genomes.push(g);
    if (genomes.length === batch) {
      await ledger.evaluate(genomes);
      genomes = [];
    }
  }
  if (genomes.length > 0) await ledger.evaluate(genomes);
  return { stopReason: 'exhausted', generations: 0 };
}
