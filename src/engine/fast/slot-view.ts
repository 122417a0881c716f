import type { Plan } from '../../strategy/index.ts';
import type { Portfolio } from '../portfolio.ts';
import { isPortfolioInput, writePortfolioInput, type PortfolioInput } from '../portfolio-inputs.ts';
import type { SlotSource } from './columns.ts';
import type { Events, StrategyPass } from './signals.ts';

/** Data slots to bring to a step: per-asset columns read at the asset's latest bar, and per-step columns. */
interface Reads {
  readonly barSlots: Int32Array;
  readonly barAssets: Int32Array;
  readonly barCols: readonly Float64Array[];
  readonly stepSlots: Int32Array;
  readonly stepCols: readonly Float64Array[];
  /** Transient slots (no column): their values at the event, recorded by the signal pass (Events.values). */
  readonly recorded: Int32Array;
}

function readsOf(slots: Iterable<number>, data: ReadonlyMap<number, SlotSource>, recordedOk: boolean): Reads {
  const bar: { slot: number; asset: number; column: Float64Array }[] = [], step: { slot: number; column: Float64Array }[] = [];
  const recorded: number[] = [];
  for (const slot of slots) {
    const src = data.get(slot);
    if (src === undefined) continue;
    if (src.kind === 'bar') bar.push({ slot, asset: src.asset, column: src.column });
    else if (src.kind === 'step') step.push({ slot, column: src.column });
    // Only a strategy's own events carry values (recordedSlots, in the same order): a rule has none.
    else if (recordedOk) recorded.push(slot);
    else throw new Error(`slot ${slot} is transient, but a rebalance rule reads it`);
  }
  return {
    barSlots: Int32Array.from(bar, (x) => x.slot), barAssets: Int32Array.from(bar, (x) => x.asset), barCols: bar.map((x) => x.column),
    stepSlots: Int32Array.from(step, (x) => x.slot), stepCols: step.map((x) => x.column), recorded: Int32Array.from(recorded),
  };
}

/**
 * Whether a rebalance rule reads the slot vector (a filter, a sort key or a weight other than equal): the
 * walk then hands it every slot. An equal-weight rule over fixed candidates reads none (W2's monthly one).
 */
export function rulesReadSlots(plan: Plan): boolean {
  return plan.strategies.some((s) => {
    const rule = s.action.type === 'rebalance' ? s.action.rule : null;
    if (rule === null) return false;
    const some = (xs: readonly unknown[]) => xs.some((x) => x !== null);
    return some(rule.filters) || some(rule.sortKeys) || some(rule.weightKeys);
  });
}

/**
 * The kernel's slot vector as the compiled walk needs it at an event step: a strategy that reads the
 * portfolio decides its candidate event on it, and a rebalance rule ranks and weighs on it. Each data slot
 * holds its column at the asset's latest bar (NaN before its first, as the kernel's vector starts), each
 * per-step slot its step's value, each portfolio slot what writePortfolioInput gives the kernel.
 */
export class SlotView {
  readonly v: Float64Array;
  /** Per strategy: the data slots its condition reads, or null when it reads only data (its events are exact). */
  private readonly reads: (Reads | null)[];
  private readonly all: Reads;
  private readonly inputs: readonly PortfolioInput[];
  /**
   * Per strategy, the portfolio inputs its condition reads: its fast evaluator reads no other slot, so the
   * others need not be written for it (W2's fourteen RSI strategies each read one position of fourteen).
   */
  private readonly ownInputs: readonly (readonly PortfolioInput[])[];
  private readonly mems: Float64Array[];

  constructor(plan: Plan, passes: readonly StrategyPass[], data: ReadonlyMap<number, SlotSource>) {
    this.v = new Float64Array(plan.slotCount).fill(NaN);
    this.reads = passes.map((q) => (q.dataOnly ? null : readsOf(q.slots, data, true)));
    // Only a rebalance rule that filters, sorts or weighs reads every slot (then no indicator is transient).
    this.all = readsOf(rulesReadSlots(plan) ? data.keys() : [], data, false);
    this.inputs = plan.inputs.filter(isPortfolioInput);
    this.ownInputs = passes.map((q) => this.inputs.filter((input) => q.portfolioSlots.includes(input.slot)));
    this.mems = passes.map((q) => new Float64Array(4 * q.crossings));
  }

  /** Whether strategy i reads the portfolio (its candidate events must be decided). */
  decides(i: number): boolean {
    return this.reads[i] !== null;
  }

  /**
   * Strategy i's condition at step s, on candidate event q of its list: the crossing memory is the one the
   * signal pass kept for that event, so the condition sees what it would have seen evaluated at every step.
   */
  fires(i: number, e: Events, q: number, s: number, cursor: Int32Array, p: Portfolio, peak: number, fast: (v: Float64Array, m: Float64Array) => boolean): boolean {
    const r = this.reads[i]!;
    this.fill(r, s, cursor, p, peak, this.ownInputs[i]!);
    const v = this.v, w = e.width;
    for (let j = 0; j < w; j++) v[r.recorded[j]!] = e.values[q * w + j]!;
    const m = this.mems[i]!, base = q * 2 * e.crossings;
    for (let c = 0; c < e.crossings; c++) {
      m[4 * c + 2] = e.memory[base + 2 * c]!;
      m[4 * c + 3] = e.memory[base + 2 * c + 1]!;
    }
    return fast(this.v, m);
  }

  /** Every slot at step s (a rebalance rule may read any data slot). */
  at(s: number, cursor: Int32Array, p: Portfolio, peak: number): Float64Array {
    this.fill(this.all, s, cursor, p, peak, this.inputs);
    return this.v;
  }

  private fill(r: Reads, s: number, cursor: Int32Array, p: Portfolio, peak: number, inputs: readonly PortfolioInput[]): void {
    const v = this.v;
    for (let j = 0; j < r.barSlots.length; j++) {
      const c = cursor[r.barAssets[j]!]!;
      v[r.barSlots[j]!] = c >= 0 ? r.barCols[j]![c]! : NaN;
    }
    for (let j = 0; j < r.stepSlots.length; j++) v[r.stepSlots[j]!] = r.stepCols[j]![s]!;
    let equity = NaN;
    for (let j = 0; j < inputs.length; j++) equity = writePortfolioInput(inputs[j]!, v, p, peak, equity);
  }
}
