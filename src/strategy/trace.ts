import { unreachable } from '../lib/assert.ts';
import type { Condition, Expr, IndicatorNode, TraceNode } from '../schema/index.ts';
import { nodeKey, resolveAsset } from './resolve.ts';
import { indicatorInstance, specLabel } from './keys.ts';
import type { CompiledCondition, EvalContext, Plan } from './plan.ts';

/** A level comparator on two values, as generated conditions decide it (`!=` is false when either is NaN). */
export function compareValues(op: '>' | '>=' | '<' | '<=' | '=' | '!=', l: number, r: number): boolean {
  switch (op) {
    case '>': return l > r;
    case '>=': return l >= r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '=': return l === r;
    case '!=': return l === l && r === r && l !== r;
  }
}

/**
 * The reference evaluator: walks the condition tree and returns every node's result with each operand's
 * value. It is the specification the generated fast evaluator is tested against, and what the audit uses.
 *
 * Crossing memory uses the fast evaluator's layout (4 numbers per crossing, in DFS order):
 *   own memory (`update`): shift current → previous, store the new values, like the fast evaluator;
 *   a view of the fast evaluator's memory after it ran on this bar (`view`): read, never write.
 */
export class TracedEvaluator {
  private crossing = 0;
  private readonly mem: Float64Array;

  constructor(
    private readonly plan: Plan,
    private readonly cond: Pick<CompiledCondition, 'tree' | 'memSize' | 'ctx'>,
    mem?: Float64Array,
    private readonly mode: 'update' | 'view' = mem ? 'view' : 'update',
  ) {
    this.mem = mem ?? new Float64Array(cond.memSize).fill(NaN);
    let memo = MEMO.get(cond);
    if (!memo) {
      memo = { slots: new Map(), labels: new Map() };
      MEMO.set(cond, memo);
    }
    this.memo = memo;
  }

  private readonly memo: Memo;

  evaluate(v: Float64Array): TraceNode {
    this.crossing = 0;
    const tree = this.cond.tree;
    return tree ? this.node(tree, v) : { type: 'always', result: true };
  }

  private node(c: Condition, v: Float64Array): TraceNode {
    if ('lhs' in c) {
      const lv = this.value(c.lhs, v);
      const rv = this.value(c.rhs, v);
      const lhs = { label: this.label(c.lhs), value: lv };
      const rhs = { label: this.label(c.rhs), value: rv };
      switch (c.op) {
        case '>': case '>=': case '<': case '<=': case '=': case '!=':
          return { type: 'compare', op: c.op, lhs, rhs, result: compareValues(c.op, lv, rv) };
        case 'crossesAbove': case 'crossesBelow': {
          const m = 4 * this.crossing++;
          const mem = this.mem;
          if (this.mode === 'update') {
            mem[m] = mem[m + 2]!;
            mem[m + 1] = mem[m + 3]!;
            mem[m + 2] = lv;
            mem[m + 3] = rv;
          }
          const prevLhs = mem[m]!, prevRhs = mem[m + 1]!;
          const result = c.op === 'crossesAbove' ? prevLhs <= prevRhs && lv > rv : prevLhs >= prevRhs && lv < rv;
          return { type: 'compare', op: c.op, lhs, rhs, prevLhs, prevRhs, result };
        }
        default: return unreachable(c.op, 'comparator');
      }
    }
    if ('all' in c) {
      const children = c.all.map((x) => this.node(x, v));
      return { type: 'all', result: children.every((x) => x.result), children };
    }
    if ('any' in c) {
      const children = c.any.map((x) => this.node(x, v));
      return { type: 'any', result: children.some((x) => x.result), children };
    }
    if ('not' in c) {
      const child = this.node(c.not, v);
      return { type: 'not', result: !child.result, children: [child] };
    }
    const children = c.of.map((x) => this.node(x, v));
    const hits = children.filter((x) => x.result).length;
    if ('atLeast' in c) return { type: 'atLeast', count: c.atLeast as number, result: hits >= (c.atLeast as number), children };
    return { type: 'atMost', count: c.atMost as number, result: hits <= (c.atMost as number), children };
  }

  private value(e: Expr, v: Float64Array): number {
    if (typeof e === 'number') return e;
    if (typeof e !== 'object' || !('kind' in e)) return NaN;
    if (e.kind === 'math') {
      let acc = this.value(e.args[0]!, v);
      for (let i = 1; i < e.args.length; i++) {
        const x = this.value(e.args[i]!, v);
        switch (e.op) {
          case '+': acc = acc + x; break;
          case '-': acc = acc - x; break;
          case '*': acc = acc * x; break;
          case '/': acc = acc / x; break;
        }
      }
      return acc;
    }
    let slot = this.memo.slots.get(e);
    if (slot === undefined) {
      slot = this.plan.slotOf.get(nodeKey(this.plan.assets, e, this.cond.ctx));
      if (slot === undefined) throw new Error(`no slot for ${this.label(e)}`);
      this.memo.slots.set(e, slot);
    }
    return v[slot]!;
  }

  label(e: Expr): string {
    if (typeof e !== 'object') return exprLabel(this.plan.assets, e, this.cond.ctx);
    let label = this.memo.labels.get(e);
    if (label === undefined) {
      label = exprLabel(this.plan.assets, e, this.cond.ctx);
      this.memo.labels.set(e, label);
    }
    return label;
  }
}

/**
 * Slots and labels of a condition's operands, computed once per compiled condition: an audit records a
 * trace for every signal, and building canonical keys and labels each time dominated W2's audit cost.
 */
interface Memo {
  slots: Map<object, number>;
  labels: Map<object, string>;
}
const MEMO = new WeakMap<object, Memo>();

const OP_SIGN = { '+': '+', '-': '−', '*': '×', '/': '÷' } as const;

/** A short human label: "SMA(20) of SPY", "1.02 × SMA(20) of SPY", "cash", "close of AAPL". */
export function exprLabel(assets: readonly string[], e: Expr, ctx: EvalContext): string {
  if (typeof e === 'number') return String(e);
  if (typeof e !== 'object' || !('kind' in e)) return `$${(e as { $param: string }).$param}`;
  const node = e as IndicatorNode;
  const sym = (a: string | undefined) => assets[resolveAsset(assets, a, ctx)]!;
  switch (node.kind) {
    case 'math': return node.args.map((a) => (typeof a === 'object' && 'kind' in a && a.kind === 'math' ? `(${exprLabel(assets, a, ctx)})` : exprLabel(assets, a, ctx))).join(` ${OP_SIGN[node.op]} `);
    case 'price': return `${node.field} of ${sym(node.asset)}`;
    case 'lastOrderPrice': return `last order price of ${sym(node.asset)}`;
    case 'position': return `position ${node.field} of ${sym(node.asset)}`;
    case 'cash': case 'equity': case 'drawdown': return node.kind;
    case 'sinceSignal': return `${node.unit} since ${node.strategy ?? 'this strategy'}'s last signal`;
    case 'series': return `${node.name}${node.global ? '' : ` of ${sym(node.asset)}`}`;
    case 'calendar': return node.field;
    default: {
      const inst = indicatorInstance(node);
      const base = specLabel(inst.spec, inst.source, sym(node.asset));
      return inst.output === 'value' ? base : `${base}.${inst.output}`;
    }
  }
}
