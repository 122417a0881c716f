import { createIndicator } from '../indicators/index.ts';
import { unreachable } from '../lib/assert.ts';
import { parseDuration } from '../lib/duration.ts';
import type { Action, Condition, Entry, Exits, Expr, IndicatorNode, Level, StrategyDocument, TrailingStop } from '../schema/index.ts';
import { isIndicatorNode, specLabel, windowSpec } from './keys.ts';
import { CompileError, indicatorRef, instanceKey, nodeKey, resolveAsset } from './resolve.ts';
import { TracedEvaluator } from './trace.ts';
import { resolveParams, substitute, type ParamValues } from './params.ts';
import type {
  CompiledAction, CompiledCondition, CompiledEntry, CompiledExits, CompiledLevel, CompiledRule, EvalContext, FastCondition, FastExpr, IndicatorSource, InputSlot, Plan,
  PlanIndicator, PlanStrategy, WarmupNeed,
} from './plan.ts';

type MutableIndicator = PlanIndicator & { outputs: { field: PlanIndicator['outputs'][number]['field']; slot: number }[] };

/** JS source for a number: only digits, '.', 'e', '-', 'Infinity', 'NaN' ever reach generated code. */
function num(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return x < 0 || Object.is(x, -0) ? `(${String(x)})` : String(x);
}

class Builder {
  slotCount = 0;
  readonly slotOf = new Map<string, number>();
  readonly indicators = new Map<string, MutableIndicator>();
  readonly inputs: InputSlot[] = [];
  touched = new Set<number>();
  /** False: interpret instead of generating code (as under a page CSP without 'unsafe-eval'). */
  codegen = true;

  constructor(readonly assets: readonly string[], readonly strategyIds: readonly string[]) {}

  slotForNode(node: IndicatorNode, ctx: EvalContext): number {
    // An indicator's keys are made once, for its slot and its instance (nodeKey and addIndicatorOutput each made them).
    const ind = isIndicatorNode(node) ? indicatorRef(this.assets, node, ctx) : null;
    const key = ind !== null ? ind.key : nodeKey(this.assets, node, ctx);
    const existing = this.slotOf.get(key);
    if (existing !== undefined) {
      this.touch(node, ctx);
      return existing;
    }
    const slot = this.slotCount++;
    this.slotOf.set(key, slot);
    this.touch(node, ctx);
    switch (node.kind) {
      case 'price': this.inputs.push({ kind: 'price', asset: resolveAsset(this.assets, node.asset, ctx), field: node.field, slot }); break;
      case 'lastOrderPrice': this.inputs.push({ kind: 'lastOrderPrice', asset: resolveAsset(this.assets, node.asset, ctx), slot }); break;
      case 'position': this.inputs.push({ kind: 'position', asset: resolveAsset(this.assets, node.asset, ctx), field: node.field, slot }); break;
      case 'cash': case 'equity': case 'drawdown': this.inputs.push({ kind: node.kind, slot }); break;
      case 'sinceSignal': {
        const strategy = node.strategy === undefined ? ctx.strategy : this.strategyIds.indexOf(node.strategy);
        if (strategy < 0) throw new CompileError(`no strategy with id "${node.strategy}"`);
        this.inputs.push({ kind: 'sinceSignal', strategy, unit: node.unit, slot });
        break;
      }
      case 'series': this.inputs.push({ kind: 'series', name: node.name, asset: node.global ? -1 : resolveAsset(this.assets, node.asset, ctx), slot }); break;
      case 'calendar': this.inputs.push({ kind: 'calendar', field: node.field, slot }); break;
      case 'math': throw new CompileError('arithmetic has no slot of its own');
      default: {
        if (ind === null) throw new CompileError(`no slot for a node of kind "${node.kind}"`);
        this.addIndicatorOutput(ind.asset, ind.spec, ind.source, ind.output, slot, ind.instance);
      }
    }
    return slot;
  }

  addIndicatorOutput(
    asset: number, spec: PlanIndicator['spec'], source: IndicatorSource, output: PlanIndicator['outputs'][number]['field'], slot: number,
    key = instanceKey(asset, spec, source),
  ): void {
    let ind = this.indicators.get(key);
    if (!ind) {
      ind = { key, label: specLabel(spec, source, this.assets[asset]!), asset, source, spec, outputs: [] };
      this.indicators.set(key, ind);
    }
    ind.outputs.push({ field: output, slot });
  }

  /** Slot of the close-to-close return volatility of an asset (inverse-volatility weighting). */
  volatilitySlot(asset: number, window: PlanIndicator['spec'] & { kind: 'stddev' }): number {
    const key = `ind:${instanceKey(asset, window, 'return')}#value`;
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.slotCount++;
      this.slotOf.set(key, slot);
      this.addIndicatorOutput(asset, window, 'return', 'value', slot);
    }
    this.touched.add(asset);
    return slot;
  }

  private touch(node: IndicatorNode, ctx: EvalContext): void {
    if ('asset' in node || node.kind === 'price' || isIndicatorNode(node)) {
      if (node.kind === 'series' && node.global) return;
      this.touched.add(resolveAsset(this.assets, (node as { asset?: string }).asset, ctx));
    }
  }

  expr(e: Expr, ctx: EvalContext): string {
    if (typeof e === 'number') return num(e);
    if (typeof e !== 'object' || e === null || !('kind' in e)) throw new CompileError('unsubstituted parameter in expression');
    if (e.kind === 'math') return `(${e.args.map((a) => this.expr(a, ctx)).join(` ${e.op} `)})`;
    return `v[${this.slotForNode(e, ctx)}]`;
  }
}

/** Generates the fast evaluator. The traced evaluator numbers comparisons and crossings in the same DFS order. */
class ConditionGen {
  lines: string[] = [];
  compares = 0;
  crossings = 0;
  constructor(private readonly b: Builder, private readonly ctx: EvalContext) {}

  cond(c: Condition): string {
    if ('lhs' in c) {
      const k = this.compares++;
      this.lines.push(`const l${k} = ${this.b.expr(c.lhs, this.ctx)}, r${k} = ${this.b.expr(c.rhs, this.ctx)};`);
      const l = `l${k}`, r = `r${k}`;
      let test: string;
      switch (c.op) {
        case '>': case '>=': case '<': case '<=': test = `${l} ${c.op} ${r}`; break;
        case '=': test = `${l} === ${r}`; break;
        case '!=': test = `(${l} === ${l} && ${r} === ${r} && ${l} !== ${r})`; break;
        case 'crossesAbove': case 'crossesBelow': {
          const m = 4 * this.crossings++;
          this.lines.push(`m[${m}] = m[${m + 2}]; m[${m + 1}] = m[${m + 3}]; m[${m + 2}] = ${l}; m[${m + 3}] = ${r};`);
          test = c.op === 'crossesAbove' ? `m[${m}] <= m[${m + 1}] && ${l} > ${r}` : `m[${m}] >= m[${m + 1}] && ${l} < ${r}`;
          break;
        }
        default: return unreachable(c.op, 'comparator');
      }
      this.lines.push(`const c${k} = ${test};`);
      return `c${k}`;
    }
    if ('all' in c) return `(${c.all.map((x) => this.cond(x)).join(' && ')})`;
    if ('any' in c) return `(${c.any.map((x) => this.cond(x)).join(' || ')})`;
    if ('not' in c) return `!${this.cond(c.not)}`;
    if ('atLeast' in c) return `((${c.of.map((x) => `(${this.cond(x)} ? 1 : 0)`).join(' + ')}) >= ${num(c.atLeast as number)})`;
    return `((${c.of.map((x) => `(${this.cond(x)} ? 1 : 0)`).join(' + ')}) <= ${num(c.atMost as number)})`;
  }
}

let codegenAllowed: boolean | null = null;
/** Generated code needs eval; under a CSP without 'unsafe-eval' the reference interpreter decides instead. */
export function canGenerate(): boolean {
  if (codegenAllowed === null) {
    try {
      codegenAllowed = new Function('return 1')() === 1;
    } catch {
      codegenAllowed = false;
    }
  }
  return codegenAllowed;
}

/**
 * Compiled functions by source. Parameter sets that only change windows produce identical source (same
 * slots), so a sweep reuses one hot, optimized function instead of starting every candidate in the
 * interpreter — measured 7.2 → ~1 ms per W1 run in a batch. Bounded: cleared when it grows past the cap.
 */
const functionCache = new Map<string, unknown>();
const FUNCTION_CACHE_MAX = 1024;
function generated<F>(key: string, make: () => F): F {
  let f = functionCache.get(key) as F | undefined;
  if (f === undefined) {
    if (functionCache.size >= FUNCTION_CACHE_MAX) functionCache.clear();
    f = make();
    functionCache.set(key, f);
  }
  return f;
}

/** Filled in once the plan exists, for interpreted conditions (they look slots up through the plan). */
interface PlanHolder { plan: Plan | null }

function compileCondition(b: Builder, tree: Condition | undefined, ctx: EvalContext, holder: PlanHolder): CompiledCondition {
  const gen = new ConditionGen(b, ctx);
  const root = tree ? gen.cond(tree) : 'true';
  const source = `${gen.lines.join('\n')}\nreturn ${root};`;
  const memSize = 4 * gen.crossings;
  const shape = { tree: tree ?? null, memSize, ctx };
  const fast: FastCondition = b.codegen && canGenerate()
    ? generated(`c:${source}`, () => new Function('v', 'm', source) as FastCondition)
    : (v, m) => new TracedEvaluator(holder.plan!, shape, m, 'update').evaluate(v).result;
  // A literal, not a spread of shape: the spread took ~70 % of this function's own time in a W1 sweep.
  return { tree: shape.tree, memSize, ctx, fast, source };
}

function compileExpr(b: Builder, e: Expr, ctx: EvalContext): FastExpr {
  if (!(b.codegen && canGenerate())) return interpretExpr(b, e, ctx);
  const code = b.expr(e, ctx);
  return generated(`e:${code}`, () => new Function('v', `return ${code};`) as FastExpr);
}

/**
 * The same expression as closures, for pages that forbid code generation: slots are taken in the order
 * Builder.expr takes them, and arithmetic folds left with the same operator, so every value is bit-identical
 * to the generated `(a op b op c)`.
 */
function interpretExpr(b: Builder, e: Expr, ctx: EvalContext): FastExpr {
  if (typeof e === 'number') {
    const c = e === 0 ? 0 : e; // generated code writes -0 as 0 (num)
    return () => c;
  }
  if (typeof e !== 'object' || e === null || !('kind' in e)) throw new CompileError('unsubstituted parameter in expression');
  if (e.kind !== 'math') {
    const slot = b.slotForNode(e, ctx);
    return (v) => v[slot]!;
  }
  const args = e.args.map((a) => interpretExpr(b, a, ctx));
  const n = args.length;
  switch (e.op) {
    case '+': return (v) => { let x = args[0]!(v); for (let i = 1; i < n; i++) x += args[i]!(v); return x; };
    case '-': return (v) => { let x = args[0]!(v); for (let i = 1; i < n; i++) x -= args[i]!(v); return x; };
    case '*': return (v) => { let x = args[0]!(v); for (let i = 1; i < n; i++) x *= args[i]!(v); return x; };
    case '/': return (v) => { let x = args[0]!(v); for (let i = 1; i < n; i++) x /= args[i]!(v); return x; };
    default: return unreachable(e.op, 'arithmetic operator');
  }
}

function compileAction(b: Builder, action: Action, ctx: EvalContext, holder: PlanHolder): CompiledAction {
  const asset = (a: string | undefined): number => {
    const i = resolveAsset(b.assets, a, ctx);
    b.touched.add(i);
    return i;
  };
  switch (action.type) {
    case 'buy': case 'sell': {
      const amount = action.amount;
      const a = asset(action.asset);
      return {
        type: action.type, asset: a, unit: amount.unit, value: amount.unit === 'all' ? 0 : (amount.value as number),
        entry: action.entry ? compileEntry(b, action.entry, action.asset, ctx) : null,
        exits: action.exits ? compileExits(b, action.exits, action.asset, ctx) : null,
      };
    }
    case 'setWeight': {
      const a = asset(action.asset);
      return { type: 'setWeight', asset: a, weight: action.weight as number, exits: action.exits ? compileExits(b, action.exits, action.asset, ctx) : null };
    }
    case 'closeAll': return { type: 'closeAll' };
    case 'alert': return { type: 'alert', message: action.message };
    case 'rebalance': {
      if ('weights' in action) {
        return { type: 'rebalance', fixed: action.weights.map((w) => ({ asset: asset(w.asset), weight: w.weight as number })), rule: null };
      }
      const u = action.universe;
      const candidates = u.candidates.map((c) => asset(c));
      const per = (i: number): EvalContext => ({ ...ctx, candidate: i });
      const w = u.weighting;
      const rule: CompiledRule = {
        candidates,
        filters: candidates.map((c) => (u.filter ? compileCondition(b, u.filter, per(c), holder) : null)),
        sortKeys: candidates.map((c) => (u.sort ? compileExpr(b, u.sort.by, per(c)) : null)),
        order: u.sort?.order ?? 'desc',
        limit: (u.limit as number | undefined) ?? candidates.length,
        weighting: w.kind,
        weightKeys: candidates.map((c) => {
          if (w.kind === 'proportional') return compileExpr(b, w.by, per(c));
          if (w.kind === 'inverseVolatility') {
            const slot = b.volatilitySlot(c, { kind: 'stddev', window: windowSpec(w.window) });
            return (v: Float64Array) => v[slot]!;
          }
          return null;
        }),
        totalWeight: (u.totalWeight as number | undefined) ?? 1,
      };
      return { type: 'rebalance', fixed: null, rule };
    }
    default: return unreachable(action, 'action');
  }
}

/** A level; ATR multiples read the action asset's ATR at the signal (14 bars unless a window is given). */
function compileLevel(b: Builder, l: Level | TrailingStop, asset: string | undefined, ctx: EvalContext, what: string): CompiledLevel {
  const positive = (x: unknown): number => {
    if (typeof x !== 'number' || !(x > 0)) throw new CompileError(`${what}: expected a number > 0, got ${String(x)}`);
    return x;
  };
  if ('percent' in l) {
    const x = positive(l.percent);
    return { mode: 'percent', value: () => x };
  }
  if ('distance' in l) {
    const x = positive(l.distance);
    return { mode: 'distance', value: () => x };
  }
  if ('atr' in l) {
    const k = positive(l.atr);
    const atr = compileExpr(b, { kind: 'atr', ...(asset ? { asset } : {}), window: l.window ?? { bars: 14 } }, ctx);
    return { mode: 'distance', value: (v) => k * atr(v) };
  }
  return { mode: 'price', value: compileExpr(b, l.price, ctx) };
}

function compileEntry(b: Builder, e: Entry, asset: string | undefined, ctx: EvalContext): CompiledEntry | null {
  if (e.type === 'market') return null;
  const tif = e.timeInForce ?? 'day';
  const expireAfterBars = (e.expireAfterBars as number | undefined) ?? 0;
  if (e.type === 'stopLimit') {
    return { type: e.type, price: compileLevel(b, e.stop, asset, ctx, 'entry.stop'), limit: compileLevel(b, e.limit, asset, ctx, 'entry.limit'), timeInForce: tif, expireAfterBars };
  }
  return { type: e.type, price: compileLevel(b, e.price, asset, ctx, 'entry.price'), limit: null, timeInForce: tif, expireAfterBars };
}

function compileExits(b: Builder, x: Exits, asset: string | undefined, ctx: EvalContext): CompiledExits {
  const t = x.timeExit;
  return {
    stopLoss: x.stopLoss ? compileLevel(b, x.stopLoss, asset, ctx, 'exits.stopLoss') : null,
    takeProfit: x.takeProfit ? compileLevel(b, x.takeProfit, asset, ctx, 'exits.takeProfit') : null,
    trail: x.trailingStop ? { level: compileLevel(b, x.trailingStop, asset, ctx, 'exits.trailingStop'), byClose: x.trailingStop.by === 'close' } : null,
    timeBars: t && 'bars' in t ? (t.bars as number) : 0,
    timeMs: t && 'duration' in t ? parseDuration(t.duration) : 0,
    sessionClose: !!t && 'sessionClose' in t,
  };
}

export interface CompileOptions {
  /** Overrides of the document's parameter defaults (optimization). */
  params?: ParamValues;
  /**
   * false: no generated code, as under a page CSP without 'unsafe-eval' (conditions by the reference
   * interpreter, expressions as closures); the results are identical. Default: generate when the page allows.
   */
  codegen?: boolean;
}

/**
 * An indicator's warm-up, which depends on its spec alone, by instance key (the key holds the spec). A probe
 * instance allocates its window buffers, and an optimizer compiles a plan per candidate: in Chromium those
 * fresh typed arrays were ~0.14 ms of a W1 candidate.
 */
const warmups = new Map<string, { bars: number; ms: number }>();
const MAX_WARMUPS = 4096;

function warmupOf(ind: PlanIndicator): { bars: number; ms: number } {
  let w = warmups.get(ind.key);
  if (w === undefined) {
    const probe = createIndicator(ind.spec);
    w = { bars: probe.warmupBars, ms: probe.warmupMs };
    if (warmups.size >= MAX_WARMUPS) warmups.clear();
    warmups.set(ind.key, w);
  }
  return w;
}

/**
 * Compiles a validated document into a plan. Identical indicators (same kind, parameters, source and asset)
 * across all strategies share one instance and one slot.
 */
export function compile(doc: StrategyDocument, opts: CompileOptions = {}): Plan {
  const params = resolveParams(doc, opts.params);
  const strategies = substitute(doc.strategies, params);
  const assets = [...doc.settings.universe];
  const bench = doc.settings.benchmark;
  if (bench !== undefined && !assets.includes(bench)) assets.push(bench);
  const b = new Builder(assets, strategies.map((s) => s.id));
  b.codegen = opts.codegen !== false;
  const holder: PlanHolder = { plan: null };

  const planned: PlanStrategy[] = strategies.map((s, index) => {
    const ctx: EvalContext = { asset: 0, candidate: -1, strategy: index };
    b.touched = new Set();
    const condition = compileCondition(b, s.condition, ctx, holder);
    const action = compileAction(b, s.action, ctx, holder);
    return { id: s.id, name: s.name, index, condition, action, actionSource: s.action, triggers: [...b.touched].sort((x, y) => x - y) };
  });

  const detail: WarmupNeed[] = [];
  let bars = 0, ms = 0;
  for (const ind of b.indicators.values()) {
    const warm = warmupOf(ind);
    const needBars = warm.bars + (ind.source === 'return' ? 1 : 0);
    detail.push({ label: ind.label, asset: assets[ind.asset]!, bars: needBars, ms: warm.ms });
    bars = Math.max(bars, needBars);
    ms = Math.max(ms, warm.ms);
  }

  holder.plan = {
    assets,
    slotCount: b.slotCount,
    indicators: [...b.indicators.values()],
    inputs: b.inputs,
    strategies: planned,
    warmup: { bars, ms, detail },
    slotOf: b.slotOf,
    params,
  };
  return holder.plan;
}
