import type { BarColumns } from '../../schema/index.ts';
import type { Plan } from '../../strategy/index.ts';
import { computeColumns } from '../indicator-cache.ts';
import type { SlotSource } from './columns.ts';
import { transientRuns } from './counters.ts';
import { rulesReadSlots } from './slot-view.ts';
import { strategyPass, Unsupported, type StrategyPass } from './signals.ts';
import { compiledUnsupported } from './walk.ts';

/**
 * Indicators a run reads only in its signal pass: on the compiled walk, with no rebalance rule that reads the
 * slot vector, every one. A strategy that reads only data fires at every candidate event (the walk never
 * evaluates it); one the walk decides against the portfolio reads its data slots at its own candidate events,
 * whose values the pass records with each event (Events.values). A full-record run computes these columns group
 * by group into reused scratch memory (TransientColumns) instead of keeping them: on W2 its 21 columns were
 * 157 MB of the run's peak, and most of their time was the first touch of that memory.
 *
 * From the plan alone (no column), so a pool sending columns ahead of a run leaves these out too. `traces`:
 * whether the run keeps condition traces (then the kernel walks, and reads every column).
 */
export function transientIndicators(plan: Plan, traces: boolean): boolean[] {
  const none = plan.indicators.map(() => false);
  if (plan.indicators.length === 0) return none;
  if (rulesReadSlots(plan)) return none;
  // Which slots are data is all a pass reads of its sources: placeholders stand for the columns.
  const data = new Map<number, SlotSource>();
  const empty = new Float64Array(0);
  plan.indicators.forEach((pi) => { for (const o of pi.outputs) data.set(o.slot, { kind: 'bar', asset: pi.asset, column: empty }); });
  for (const input of plan.inputs) {
    if (input.kind === 'price') data.set(input.slot, { kind: 'bar', asset: input.asset, column: empty });
    else if (input.kind === 'calendar' || input.kind === 'series') data.set(input.slot, { kind: 'step', column: empty });
  }
  let passes: StrategyPass[];
  try {
    passes = plan.strategies.map((s) => strategyPass(plan, s, data));
  } catch (e) {
    if (e instanceof Unsupported) return none;
    throw e;
  }
  if (compiledUnsupported(plan, passes, traces) !== null) return none;
  return plan.indicators.map(() => true);
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
      let i = 0;
      while (i < c.length && Number.isNaN(c[i]!)) i++;
      if (i > from) from = i;
      for (let j = i; j < c.length && !gap; j++) if (Number.isNaN(c[j]!)) gap = true;
    }
    this.readyFrom[k] = from;
    // Indicators stay defined once they are (NaN inputs aside): the row alone then says when all are ready.
    if (gap) {
      this.kept[k] = outs.map((c) => c.slice());
      transientRuns.gaps++;
    }
  }
}
