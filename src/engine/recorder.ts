import { grown } from '../lib/grow.ts';

/**
 * Per-step history: time, equity at the close, whether a position was held, the benchmark price.
 * Growable typed arrays (doubling), so recording allocates O(log n) times per run, never per bar.
 */
export class Recorder {
  length = 0;
  time: Float64Array;
  equity: Float64Array;
  exposed: Uint8Array;
  benchmark: Float64Array;

  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.time = new Float64Array(c);
    this.equity = new Float64Array(c);
    this.exposed = new Uint8Array(c);
    this.benchmark = new Float64Array(c);
  }

  push(t: number, equity: number, exposed: number, benchmark: number): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = t;
    this.equity[i] = equity;
    this.exposed[i] = exposed;
    this.benchmark[i] = benchmark;
  }

  /**
   * push with the benchmark's mark, `mark[bench]`, or NaN when there is no benchmark (bench < 0). Two calls
   * rather than one with `bench >= 0 ? mark[bench] : NaN`: V8 compiled the callers' loops before the NaN side
   * ever ran, kept the global NaN a generic load and boxed every mark passed (a heap number a step).
   */
  pushMarked(t: number, equity: number, exposed: number, mark: Float64Array, bench: number): void {
    if (bench >= 0) this.push(t, equity, exposed, mark[bench]!);
    else this.push(t, equity, exposed, NaN);
  }

  private grow(): void {
    const c = this.time.length * 2;
    this.time = grown(this.time, c);
    this.equity = grown(this.equity, c);
    this.exposed = grown(this.exposed, c);
    this.benchmark = grown(this.benchmark, c);
  }
}

/**
 * Recorders are reused across runs: a fresh 8 MB typed array costs a page fault per 4 KB on first write,
 * which measured as the largest single cost of a 1 M-step run. Results never reference recorder arrays
 * (stats read them, curves are sampled into new arrays), so a run returns its recorder when done.
 */
const spare: Recorder[] = [];
const MAX_SPARE = 2;

export function acquireRecorder(capacity: number): Recorder {
  for (let i = spare.length - 1; i >= 0; i--) {
    const r = spare[i]!;
    if (r.time.length >= capacity) {
      spare.splice(i, 1);
      r.length = 0;
      return r;
    }
  }
  return new Recorder(capacity);
}

export function releaseRecorder(r: Recorder): void {
  if (spare.length >= MAX_SPARE) spare.shift();
  spare.push(r);
}
