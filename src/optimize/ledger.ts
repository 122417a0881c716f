import type { Evaluator } from './evaluator.ts';
import type { Constraints, Objective } from './objective.ts';
import { compareScored, scoreOf, type Scored } from './rank.ts';
import { keyOf, paramsOf, type Genome, type SearchSpace } from './space.ts';

export interface Progress {
  /** Distinct candidates evaluated so far. */
  evaluations: number;
  /** The planned number (the budget, or the grid size). */
  total: number;
  /** The best so far, as a UI shows it live. */
  best: { params: Record<string, number>; score: number; feasible: boolean } | undefined;
}

export interface LedgerOptions {
  objective: Objective;
  constraints: Constraints;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  total: number;
}

/**
 * Every candidate a search has evaluated, keyed by genome. A candidate is never evaluated twice: a batch
 * sends the evaluator only genomes it has not seen (once each), and answers the rest from here.
 */
export class Ledger {
  private readonly seen = new Map<string, Scored>();
  private top: Scored | undefined;

  constructor(readonly space: SearchSpace, private readonly evaluator: Evaluator, private readonly opts: LedgerOptions) {}

  get count(): number {
    return this.seen.size;
  }

  get best(): Scored | undefined {
    return this.top;
  }

  has(g: Genome): boolean {
    return this.seen.has(keyOf(g));
  }

  /** Scores of `genomes` in their order; only unseen ones reach the evaluator. */
  async evaluate(genomes: readonly Genome[]): Promise<Scored[]> {
    this.opts.signal?.throwIfAborted();
    const fresh: Genome[] = [];
    const queued = new Set<string>();
    for (const g of genomes) {
      const k = keyOf(g);
      if (!this.seen.has(k) && !queued.has(k)) {
        if (this.space.feasible && !this.space.feasible(g)) throw new Error(`a search sent a candidate the parameter constraints reject: ${JSON.stringify(paramsOf(this.space, g))}`);
        queued.add(k);
        fresh.push(g);
      }
    }
    if (fresh.length > 0) {
      const stats = await this.evaluator(fresh.map((g) => paramsOf(this.space, g)));
      if (stats.length !== fresh.length) throw new Error(`evaluator returned ${stats.length} results for ${fresh.length} candidates`);
      fresh.forEach((g, i) => {
        const s = scoreOf([...g], stats[i]!, this.opts.objective, this.opts.constraints);
        this.seen.set(keyOf(g), s);
        if (this.top === undefined || compareScored(s, this.top) < 0) this.top = s;
      });
      const top = this.top;
      this.opts.onProgress?.({
        evaluations: this.seen.size, total: this.opts.total,
        best: top && { params: paramsOf(this.space, top.genome), score: top.score, feasible: top.feasible },
      });
    }
    return genomes.map((g) => this.seen.get(keyOf(g))!);
  }

  /** Every evaluated candidate, best first. */
  ranked(): Scored[] {
    return [...this.seen.values()].sort(compareScored);
  }
}
