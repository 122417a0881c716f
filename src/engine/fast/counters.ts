/**
 * How often each walk ran and what it passed over, for the differential tests to check that every path they
 * mean to cover was taken (a test can pass by never reaching the code it is about).
 */
export const walkRuns = { compiled: 0, kernel: 0, folded: 0, sampled: 0, gatedEvents: 0, compiledGatedEvents: 0, deciding: 0, rebalancing: 0 };

/** Signal loops generated (signals.ts): groups that differ only in their assets and slots share one. */
export const signalLoops = { generated: 0 };

/**
 * Runs with transient indicator columns (transient.ts), columns computed for them (whole or in blocks), those
 * computed in blocks (blocks.ts), and gapped columns kept.
 */
export const transientRuns = { runs: 0, columns: 0, blocked: 0, gaps: 0 };
