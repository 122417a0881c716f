import type { Condition, Expr } from '../../schema/index.ts';
import { compareValues, nodeKey, type Plan, type PlanStrategy } from '../../strategy/index.ts';

/**
 * A conjunct of a strategy's condition that compares one asset's position quantity with a number, as in
 * "RSI < 30 and no position in A" (`{ all: [..., { position A quantity } = 0] }`). While it is false the
 * condition is false whatever the data say, and the quantity only changes when an order fills, which the
 * kernel-assisted walk sees (a kernel step): so the walk passes over that strategy's candidate events
 * until the next step where anything may act, instead of visiting each to find it cannot fire.
 */
export interface PositionGate {
  readonly asset: number;
  readonly op: '>' | '>=' | '<' | '<=' | '=' | '!=';
  readonly value: number;
  /** The quantity is the left operand (`quantity op value`), else the right (`value op quantity`). */
  readonly quantityLeft: boolean;
}

const GATE_OPS = new Set(['>', '>=', '<', '<=', '=', '!=']);

/** The conjuncts of a strategy's condition: the members of a top-level `all`, or the condition itself. */
export function conjuncts(s: PlanStrategy): readonly Condition[] {
  const tree = s.condition.tree;
  if (!tree) return [];
  return 'all' in tree ? tree.all : [tree];
}

/** The strategy's gate (its condition or a top-level `all` member of that shape), or null. */
export function positionGate(plan: Plan, s: PlanStrategy): PositionGate | null {
  const at = gateConjunct(plan, s);
  return at < 0 ? null : gateOf(plan, s, conjuncts(s)[at]!);
}

/** Which of the strategy's conjuncts is its gate (the first of that shape), or −1. */
export function gateConjunct(plan: Plan, s: PlanStrategy): number {
  return conjuncts(s).findIndex((c) => gateOf(plan, s, c) !== null);
}

function gateOf(plan: Plan, s: PlanStrategy, c: Condition): PositionGate | null {
  if (!('lhs' in c) || !GATE_OPS.has(c.op)) return null;
  const op = c.op as PositionGate['op'];
  const l = quantityOf(plan, s, c.lhs), r = quantityOf(plan, s, c.rhs);
  if (l >= 0 && typeof c.rhs === 'number') return { asset: l, op, value: c.rhs, quantityLeft: true };
  if (r >= 0 && typeof c.lhs === 'number') return { asset: r, op, value: c.lhs, quantityLeft: false };
  return null;
}

/** The asset whose position quantity `e` reads (through its plan input), or −1. */
function quantityOf(plan: Plan, s: PlanStrategy, e: Expr): number {
  if (typeof e !== 'object' || e === null || !('kind' in e) || e.kind !== 'position') return -1;
  const slot = plan.slotOf.get(nodeKey(plan.assets, e, s.condition.ctx));
  const input = plan.inputs.find((i) => i.slot === slot);
  return input?.kind === 'position' && input.field === 'quantity' ? input.asset : -1;
}

/** Whether the gate's comparison holds at this quantity (the compiled condition's comparator semantics). */
export function gateOpen(g: PositionGate, qty: number): boolean {
  return g.quantityLeft ? compareValues(g.op, qty, g.value) : compareValues(g.op, g.value, qty);
}

/**
 * Whether each strategy's gate is open (1; always for a strategy without one), kept up to date from the
 * portfolio's quantities: `update` re-reads only the gates of assets whose quantity moved since it last ran.
 * A walk calls it after fills, and looping over every strategy's gate there was a tenth of W2's walk loop.
 */
export class GateSet {
  readonly open: Uint8Array;
  // Gate indexes by asset: those of asset a are list[start[a]] … list[start[a + 1] − 1].
  private readonly start: Int32Array;
  private readonly list: Int32Array;
  private readonly seen: Float64Array;

  constructor(private readonly gates: readonly (PositionGate | null)[], assets: number) {
    this.open = Uint8Array.from(gates, (g) => (g === null ? 1 : 0));
    this.start = new Int32Array(assets + 1);
    for (const g of gates) if (g !== null) this.start[g.asset + 1]!++;
    for (let a = 0; a < assets; a++) this.start[a + 1]! += this.start[a]!;
    this.list = new Int32Array(this.start[assets]!);
    const at = this.start.slice(0, assets);
    gates.forEach((g, i) => {
      if (g !== null) this.list[at[g.asset]!++] = i;
    });
    // NaN: no quantity seen yet, so the first update reads every gate.
    this.seen = new Float64Array(assets).fill(NaN);
  }

  /** Gate i at these quantities now (whatever `open` last saw): a walk deciding an event by its gate alone. */
  holds(i: number, qty: Float64Array): boolean {
    const g = this.gates[i]!;
    return gateOpen(g, qty[g.asset]!);
  }

  update(qty: Float64Array): void {
    const { start, list, seen, open, gates } = this;
    for (let a = 0; a < seen.length; a++) {
      const q = qty[a]!;
      if (q === seen[a]) continue;
      seen[a] = q;
      for (let k = start[a]!; k < start[a + 1]!; k++) {
        const i = list[k]!;
        open[i] = gateOpen(gates[i]!, q) ? 1 : 0;
      }
    }
  }
}
