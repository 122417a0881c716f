import type { RangeKernel } from '../indicator-cache.ts';
import type { Timeline } from './timeline.ts';

/**
 * Steps per block of a signal group whose transient indicators are computed a block at a time. Its columns
 * then live in buffers of BLOCK_STEPS + 1 values (64 KB each) that stay in cache between the kernel writing
 * them and the group's loop reading them, instead of one fresh column per indicator over the whole run: W2's
 * first group wrote three of 7.9 MB, ~5,750 page faults. An object, so tests can make blocks small and cross
 * many of their edges on small data.
 */
export const blockSize = { steps: 8192 };

/** Block buffers kept on this thread for the next group and run (a W2 group uses three). */
const spare: Float64Array[] = [];
const MAX_SPARE = 8;

function takeBuffer(length: number): Float64Array {
  const i = spare.findIndex((b) => b.length === length);
  return i < 0 ? new Float64Array(length) : spare.splice(i, 1)[0]!;
}

function giveBuffer(b: Float64Array): void {
  if (spare.length < MAX_SPARE) spare.push(b);
}

/**
 * One transient indicator of a signal group, computed a range of bars at a time by its range kernel
 * (indicator-cache.ts rangeKernel) into `buffer`, which holds bar i at buffer[i − base]. What the run needs
 * of the whole column (transient.ts: from which row it has a value, and whether a NaN follows that row) is
 * noted from each range as it is computed.
 */
export class IndicatorBlock {
  readonly buffer: Float64Array;
  /** The bar at buffer[0]. */
  base = 0;
  /** Bars computed so far: [0, done). */
  private done = 0;
  /** The first bar with a value; −1 while none has. */
  private first = -1;
  private gap = false;

  constructor(private readonly kernel: RangeKernel, private readonly length: number, private readonly steps: number) {
    this.buffer = takeBuffer(steps + 1);
  }

  /** Hands the buffer back for the next block (nothing may read it after this). */
  release(): void {
    giveBuffer(this.buffer);
  }

  /**
   * Makes bars lo…hi readable (hi < 0: none yet). `lo` is never below the last call's `hi`: the bars before
   * it that were not computed yet are computed (an indicator needs every bar) and dropped; the last call's
   * `hi`, when it is this call's `lo`, is carried to buffer[0].
   */
  cover(lo: number, hi: number): void {
    if (hi < 0) return;
    if (lo < 0) lo = 0;
    if (hi - lo > this.steps) throw new RangeError(`block of bars ${lo}…${hi} is longer than its buffer (${this.steps + 1})`);
    if (lo < this.done) {
      if (lo !== this.done - 1) throw new RangeError(`block from bar ${lo} goes back before bar ${this.done - 1}`);
      this.buffer[0] = this.buffer[lo - this.base]!;
      this.base = lo;
      if (hi >= this.done) this.run(hi + 1);
      return;
    }
    while (this.done < lo) {
      this.base = this.done;
      this.run(Math.min(lo, this.done + this.steps + 1));
    }
    this.base = lo;
    this.run(hi + 1);
  }

  /** Computes the bars no block read, for the notes; returns the first bar with a value (`length` if none). */
  finish(): number {
    while (this.done < this.length) {
      this.base = this.done;
      this.run(Math.min(this.length, this.done + this.steps + 1));
    }
    return this.first < 0 ? this.length : this.first;
  }

  /** Whether a bar after the first with a value has none (valid after finish). */
  get gapped(): boolean {
    return this.gap;
  }

  private run(to: number): void {
    const from = this.done, base = this.base, buf = this.buffer;
    this.kernel(to, buf, base);
    this.done = to;
    let i = from - base;
    const end = to - base;
    if (this.first < 0) {
      while (i < end && buf[i] !== buf[i]) i++;
      if (i === end) return;
      this.first = i + base;
    }
    if (!this.gap) this.gap = hasNaN(buf, i, end);
  }
}

/**
 * The blocks of one signal group's pass: `next(from)` picks the trigger positions from `from` on whose steps
 * span at most blockSize.steps, has every block computed over the bars those steps read (its asset's latest
 * bar at each step: the loop's cursor), writes each bar slot's offset (a block's base, 0 for a whole column)
 * and returns the end of that range.
 */
export class BlockDriver {
  readonly offsets: Int32Array;
  private readonly cursors: Int32Array;

  constructor(
    private readonly tl: Timeline, private readonly steps: Int32Array | null, private readonly total: number,
    private readonly blocks: readonly IndicatorBlock[], private readonly assets: readonly number[],
    /** Per bar slot of the group: its block, −1 for a whole column. */
    private readonly slotBlock: readonly number[],
  ) {
    this.offsets = new Int32Array(slotBlock.length);
    this.cursors = new Int32Array(blocks.length).fill(-1);
  }

  next(from: number): number {
    const steps = this.steps, total = this.total, span = blockSize.steps;
    let to: number;
    if (steps === null) {
      to = Math.min(total, from + span);
    } else {
      const limit = steps[from]! + span;
      to = from + 1;
      while (to < total && steps[to]! < limit) to++;
    }
    const first = steps === null ? from : steps[from]!, last = steps === null ? to - 1 : steps[to - 1]!;
    for (let k = 0; k < this.blocks.length; k++) {
      const a = this.assets[k]!;
      let lo: number, hi: number;
      if (this.tl.dense[a]) {
        lo = first;
        hi = last;
      } else {
        lo = this.advance(k, a, first);
        hi = this.advance(k, a, last);
      }
      this.blocks[k]!.cover(lo, hi);
    }
    for (let q = 0; q < this.slotBlock.length; q++) {
      const k = this.slotBlock[q]!;
      this.offsets[q] = k < 0 ? 0 : this.blocks[k]!.base;
    }
    return to;
  }

  /** Asset a's latest bar at step s (−1: none yet), as the group loop's cursor finds it. */
  private advance(k: number, a: number, s: number): number {
    const so = this.tl.stepOf[a]!, cnt = this.tl.count[a]!;
    let c = this.cursors[k]!;
    while (c + 1 < cnt && so[c + 1]! <= s) c++;
    this.cursors[k] = c;
    return c;
  }
}

/**
 * Whether c[from, to) holds a NaN. Four values summed per test: a NaN anywhere makes the sum NaN; a sum can
 * also be NaN from +∞ and −∞ in the block, and then the block is read value by value. (This scan of W2's
 * 14 transient averages took 46–79 ms of a run with a compare and an early-exit test per value.)
 */
export function hasNaN(c: Float64Array, from: number, to: number): boolean {
  let j = from;
  for (; j + 4 <= to; j += 4) {
    const s = c[j]! + c[j + 1]! + c[j + 2]! + c[j + 3]!;
    if (s !== s && (c[j] !== c[j] || c[j + 1] !== c[j + 1] || c[j + 2] !== c[j + 2] || c[j + 3] !== c[j + 3])) return true;
  }
  for (; j < to; j++) if (c[j] !== c[j]) return true;
  return false;
}
