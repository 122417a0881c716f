import type { IndicatorSpec } from '../indicators/index.ts';
import type { Action, BarField, CalendarField, Condition, Expr } from '../schema/index.ts';

/**
 * A compiled plan: everything about a document that does not change while it runs. Immutable and
 * reusable across runs (the optimizer runs one plan many times); per-run state lives in the engine.
 *
 * Every number a condition can read lives in one Float64Array of "slots". The engine writes inputs
 * (prices, portfolio fields, calendar, series) and indicator outputs into their slots; evaluators only read.
 */
export interface Plan {
  readonly assets: readonly string[];
  readonly slotCount: number;
  readonly indicators: readonly PlanIndicator[];
  readonly inputs: readonly InputSlot[];
  readonly strategies: readonly PlanStrategy[];
  /** History needed before the first tradable bar: the most any indicator needs. */
  readonly warmup: { readonly bars: number; readonly ms: number; readonly detail: readonly WarmupNeed[] };
  /** Canonical key of an expression node (with its asset resolved) → slot. */
  readonly slotOf: ReadonlyMap<string, number>;
  readonly params: Readonly<Record<string, number>>;
}

export interface WarmupNeed {
  label: string;
  asset: string;
  bars: number;
  ms: number;
}

/** Price fields plus 'return' (close-to-close simple return), which inverse-volatility weighting needs. */
export type IndicatorSource = BarField | 'return';

export interface PlanIndicator {
  readonly key: string;
  readonly label: string;
  readonly asset: number;
  readonly source: IndicatorSource;
  readonly spec: IndicatorSpec;
  /** Output field of the instance → slot. 'value' is the primary output. */
  readonly outputs: readonly { readonly field: 'value' | 'upper' | 'lower' | 'signal' | 'histogram'; readonly slot: number }[];
}

export type InputSlot =
  | { readonly kind: 'price'; readonly asset: number; readonly field: BarField; readonly slot: number }
  | { readonly kind: 'cash' | 'equity' | 'drawdown'; readonly slot: number }
  | { readonly kind: 'position'; readonly asset: number; readonly field: 'quantity' | 'value' | 'weight'; readonly slot: number }
  | { readonly kind: 'lastOrderPrice'; readonly asset: number; readonly slot: number }
  | { readonly kind: 'sinceSignal'; readonly strategy: number; readonly unit: 'bars' | 'days'; readonly slot: number }
  | { readonly kind: 'series'; readonly name: string; readonly asset: number; readonly slot: number }
  | { readonly kind: 'calendar'; readonly field: CalendarField; readonly slot: number };

/** Decides a strategy's condition from the slots; `mem` holds crossing memory (4 numbers per crossing). */
export type FastCondition = (v: Float64Array, mem: Float64Array) => boolean;
export type FastExpr = (v: Float64Array) => number;

/** Where an expression is evaluated: omitted assets mean `asset` (or the candidate inside a universe rule);
 *  "$asset" means `candidate` (−1 outside rules); sinceSignal without a strategy means `strategy`. */
export interface EvalContext {
  readonly asset: number;
  readonly candidate: number;
  readonly strategy: number;
}

export interface CompiledCondition {
  readonly ctx: EvalContext;
  /** The parameter-substituted tree, with assets resolved: what the traced evaluator walks. */
  readonly tree: Condition | null;
  readonly fast: FastCondition;
  /** Size of the crossing memory. */
  readonly memSize: number;
  /** The generated source, kept for inspection and tests. */
  readonly source: string;
}

export interface CompiledRule {
  readonly candidates: readonly number[];
  /** Per candidate, in candidates order. */
  readonly filters: readonly (CompiledCondition | null)[];
  readonly sortKeys: readonly (FastExpr | null)[];
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly weighting: 'equal' | 'proportional' | 'inverseVolatility';
  /** Per candidate: the proportional weight expression, or the slot of its return volatility. */
  readonly weightKeys: readonly (FastExpr | null)[];
  readonly totalWeight: number;
}

/** A price level: a fixed offset (percent, distance) or a value read at the signal (ATR × k as a distance, or a price). */
export interface CompiledLevel {
  readonly mode: 'percent' | 'distance' | 'price';
  readonly value: FastExpr;
}

/** An entry beyond market: `price` is the limit (limit) or the stop (stop, stopLimit); `limit` a stop-limit's limit. */
export interface CompiledEntry {
  readonly type: 'limit' | 'stop' | 'stopLimit';
  readonly price: CompiledLevel;
  readonly limit: CompiledLevel | null;
  readonly timeInForce: 'bar' | 'day' | 'gtc';
  readonly expireAfterBars: number;
}

export interface CompiledExits {
  readonly stopLoss: CompiledLevel | null;
  readonly takeProfit: CompiledLevel | null;
  readonly trail: { readonly level: CompiledLevel; readonly byClose: boolean } | null;
  readonly timeBars: number;
  readonly timeMs: number;
  /** Close at the close of the last bar of the exchange session (timeExit {sessionClose: true}). */
  readonly sessionClose: boolean;
}

export type CompiledAction =
  | {
      readonly type: 'buy' | 'sell'; readonly asset: number; readonly unit: AmountUnit; readonly value: number;
      readonly entry: CompiledEntry | null; readonly exits: CompiledExits | null;
    }
  | { readonly type: 'setWeight'; readonly asset: number; readonly weight: number; readonly exits: CompiledExits | null }
  | { readonly type: 'rebalance'; readonly fixed: readonly { readonly asset: number; readonly weight: number }[] | null; readonly rule: CompiledRule | null }
  | { readonly type: 'closeAll' }
  | { readonly type: 'alert'; readonly message: string };

export type AmountUnit = 'percentOfCash' | 'percentOfEquity' | 'cash' | 'quantity' | 'percentOfPosition' | 'all';

export interface PlanStrategy {
  readonly id: string;
  readonly name: string;
  readonly index: number;
  readonly condition: CompiledCondition;
  readonly action: CompiledAction;
  readonly actionSource: Action;
  /** Assets whose new bar makes this strategy evaluate; every step when empty. */
  readonly triggers: readonly number[];
}

export type { Expr };
