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

/**
 * The machine's price of fresh memory, a floor for the minute-bar rows: writing a new 64 MiB Float64Array
 * once (every page faults in) and again (already mapped), best of three. On the Firecracker VMs our figures
 * come from, a 4 KiB page's first touch costs ~12–16 µs (a 982,800-bar column, 7.5 MiB, took ~23 ms to fill
 * the first time and 0.3 ms the second), tens of times a desktop's; W2 and W3 write hundreds of MiB of new
 * columns. `faults` (Node: the process's minor page faults) adds µs per fault, which the rows that count
 * their faults multiply by.
 */
export function freshMemory(faults?: () => number): BenchRow {
  const mib = 64;
  let firstMs = Infinity, againMs = Infinity, usPerFault = NaN;
  for (let k = 0; k < 3; k++) {
    const f0 = faults?.() ?? 0;
    const t0 = performance.now();
    const a = new Float64Array((mib * 1024 * 1024) / 8);
    a.fill(1);
    const t1 = performance.now();
    const f1 = faults?.() ?? 0;
    a.fill(2);
    const t2 = performance.now();
    consume(a[a.length - 1]!);
    if (t1 - t0 < firstMs) {
      firstMs = t1 - t0;
      // No fault counted (pages recycled, or no counter): no per-fault figure rather than a made-up one.
      if (faults && f1 > f0) usPerFault = ((t1 - t0 - (t2 - t1)) * 1000) / (f1 - f0);
    }
    againMs = Math.min(againMs, t2 - t1);
  }
  return { mib, firstMsPerMiB: firstMs / mib, againMsPerMiB: againMs / mib, ...(faults ? { usPerFault } : {}) };
}
