import type { BarColumns } from '../../schema/index.ts';
import type { Plan } from '../../strategy/index.ts';
import { computeColumns, rangeKernel } from '../indicator-cache.ts';
import { blockSize, hasNaN, IndicatorBlock } from './blocks.ts';
import { transientRuns } from './counters.ts';
import { rulesReadSlots } from './slot-view.ts';
import { compiledPlan } from './walk.ts';

/**
 * Whether a run keeps no indicator column, its signal pass computing them all instead: on the compiled walk
 * (compiledPlan: no traces, no time since a signal, market orders and rebalances), with no rebalance rule that
 * reads the slot vector. A strategy that reads only data fires at every candidate event (the walk never
 * evaluates it); one the walk decides against the portfolio reads its data slots at its own candidate events,
 * whose values the pass records with each event (Events.values). A full-record run computes the columns group
 * by group into reused scratch memory (TransientColumns) instead of keeping them: on W2 its 21 columns were
 * 157 MB of the run's peak, and most of their time was the first touch of that memory. Those with a range
 * kernel (an SMA over a bar window, an RSI) are computed a block of steps at a time as the group's loop goes,
 * into buffers that stay in cache (blocks.ts): the first group's three scratch columns were ~5,750 page faults.
 *
 * From the plan alone (no column), so a pool sending columns ahead of a run leaves them out too. A document
 * the fast path then refuses (fastUnsupported, a condition it cannot generate) runs on the reference, which
 * computes whatever column it reads. `traces`: whether the run keeps condition traces (then the kernel walks,
 * and reads every column).
 */
export function columnsTransient(plan: Plan, traces: boolean): boolean {
  return plan.indicators.length > 0 && compiledPlan(plan, traces) && !rulesReadSlots(plan);
}

/**
 * Scratch buffers kept on this thread for the next group and the next run: the memory is touched once, and a
 * run on the same data reuses it warm. A few only (a W2 group holds three at a time: its two averages and its RSI).
 */
const spare: ArrayBuffer[] = [];
const MAX_SPARE = 6;

/** `pi`'s columns over `bars` in scratch memory: hand them back with releaseScratch when done reading. */
export function scratchColumns(pi: Plan['indicators'][number], bars: BarColumns): Float64Array[] {
  return computeColumns(pi, bars, take);
}

export function releaseScratch(columns: readonly Float64Array[]): void {
  for (const c of columns) give(c.buffer as ArrayBuffer);
}

function take(bytes: number): ArrayBuffer {
  const i = spare.findIndex((b) => b.byteLength === bytes);
  if (i < 0) return new ArrayBuffer(bytes);
  return spare.splice(i, 1)[0]!;
}

function give(buffer: ArrayBuffer): void {
  if (spare.length === MAX_SPARE) spare.shift();
  spare.push(buffer);
}

/**
 * The transient indicators' columns of one run: computed (by the same code as IndicatorCache's) into scratch
 * when a signal group asks for them, handed back when the group is done. What the run needs of them after the
 * pass, the first row from which every output has a value (firstTradableStep), is noted as each is computed.
 */
export class TransientColumns {
  /** Per plan indicator: the first row from which every output has a value; −1 until computed. */
  readonly readyFrom: Int32Array;
  /** Per plan indicator: a copy of its columns, kept when an output has a gap after its first value. */
  readonly kept: (Float64Array[] | null)[];
  private readonly held = new Map<number, Float64Array[]>();

  constructor(private readonly plan: Plan, private readonly cols: readonly BarColumns[]) {
    transientRuns.runs++;
    this.readyFrom = new Int32Array(plan.indicators.length).fill(-1);
    this.kept = plan.indicators.map(() => null);
  }

  /** Output m of indicator k, computed on first use since the last release. */
  column(k: number, m: number): Float64Array {
    let outs = this.held.get(k);
    if (!outs) {
      const pi = this.plan.indicators[k]!;
      outs = scratchColumns(pi, this.cols[pi.asset]!);
      transientRuns.columns++;
      this.held.set(k, outs);
      if (this.readyFrom[k] === -1) this.note(k, outs);
    }
    return outs[m]!;
  }

  /**
   * Indicator k computed a block at a time as a group's loop goes (blocks.ts), or null when it has no range
   * kernel (then column() computes it whole). Hand it to noteBlock when the group is done.
   */
  block(k: number): IndicatorBlock | null {
    const pi = this.plan.indicators[k]!, bars = this.cols[pi.asset]!;
    const kernel = rangeKernel(pi, bars);
    if (kernel === null) return null;
    transientRuns.columns++;
    transientRuns.blocked++;
    return new IndicatorBlock(kernel, bars.length, blockSize.steps);
  }

  /** What note() takes from a whole column, from a group's block of indicator k (the first group to compute it). */
  noteBlock(k: number, block: IndicatorBlock): void {
    if (this.readyFrom[k] === -1) {
      this.readyFrom[k] = block.finish();
      if (block.gapped) {
        const pi = this.plan.indicators[k]!;
        this.kept[k] = computeColumns(pi, this.cols[pi.asset]!, (n) => new ArrayBuffer(n));
        transientRuns.gaps++;
      }
    }
    block.release();
  }

  /** Hands every held column back to the scratch list (nothing may read them after this). */
  release(): void {
    for (const outs of this.held.values()) releaseScratch(outs);
    this.held.clear();
  }

  /** readyFrom[k], computing the columns once more if no group read them (their values are not kept). */
  ready(k: number): number {
    if (this.readyFrom[k] === -1) {
      this.column(k, 0);
      this.release();
    }
    return this.readyFrom[k]!;
  }

  private note(k: number, outs: readonly Float64Array[]): void {
    let from = 0;
    let gap = false;
    for (const c of outs) {
      const len = c.length;
      let i = 0;
      while (i < len && c[i] !== c[i]) i++;
      if (i > from) from = i;
      if (!gap) gap = hasNaN(c, i, len);
    }
    this.readyFrom[k] = from;
    // Indicators stay defined once they are (NaN inputs aside): the row alone then says when all are ready.
    if (gap) {
      this.kept[k] = outs.map((c) => c.slice());
      transientRuns.gaps++;
    }
  }
}
