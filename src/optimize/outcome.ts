/** Why a search stopped: its budget was spent, every candidate was tried, or the best stopped improving. */
export type StopReason = 'budget' | 'exhausted' | 'stagnation';

export interface Outcome {
  stopReason: StopReason;
  /** Generations run (genetic search only; 0 otherwise). */
  generations: number;
}
