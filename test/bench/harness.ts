/**
 * Bench modules: each `test/bench/*.bench.ts` default-exports a BenchSuite. `npm run bench` runs them all
 * in Node (in file-name order), prints each row, and with `--out FILE` writes the rows as JSON.
 * Benchmarks measure; they never assert timings (tests don't either).
 */
export type BenchValue = number | string | boolean | null;
export type BenchRow = Record<string, BenchValue>;

export interface BenchOptions {
  quick: boolean;
  /** `--workload W2` (repeatable): only these workloads, in suites that run several; default all. */
  workloads?: string[];
}

export interface BenchSuite {
  name: string;
  /**
   * Browser benches: runs first, in a page of its own that is closed before `run` (its renderer process and
   * memory go with it), e.g. writing data to OPFS, so a memory window in `run` does not count the set-up.
   */
  setup?(opts: BenchOptions): Promise<Record<string, BenchRow>>;
  /** Returns named rows, e.g. { "SMA ours": { updatesPerSecond: … } }. */
  run(opts: BenchOptions): Promise<Record<string, BenchRow>>;
}

/** Runs fn repeatedly for at least minMs after a warm-up and returns the best ms per call. */
export function timeIt(fn: () => void, { minMs = 300, warmup = 3, maxIters = 1e6 } = {}): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  let total = 0;
  let iters = 0;
  while (total < minMs && iters < maxIters) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    total += dt;
    iters++;
    if (dt < best) best = dt;
  }
  return best;
}

/** A value the optimizer cannot prove unused. */
export let blackhole = 0;
export function consume(x: number): void {
  blackhole += x;
}
