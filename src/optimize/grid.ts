import type { Ledger } from './ledger.ts';
import { genomeAt, type Genome } from './space.ts';
import type { Outcome } from './outcome.ts';

/** Every candidate, in counting order, `batch` at a time (a batch is one evaluator call: one pool round). */
export async function gridSearch(ledger: Ledger, batch: number): Promise<Outcome> {
  const size = ledger.space.size;
  for (let start = 0; start < size; start += batch) {
    const genomes: Genome[] = [];
    for (let n = start; n < Math.min(size, start + batch); n++) genomes.push(genomeAt(ledger.space, n));
    await ledger.evaluate(genomes);
  }
  return { stopReason: 'exhausted', generations: 0 };
}
