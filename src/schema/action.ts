import { z } from 'zod';
import { CountSchema, NumberLikeSchema, type NumberLike } from './number.ts';
import { ConditionSchema, type Condition } from './condition.ts';
import { ExprSchema, type Expr } from './expr.ts';
import { WindowSchema, type Window } from './window.ts';
import { EntrySchema, ExitsSchema, type Entry, type Exits } from './orders.ts';

/** How much to buy or sell. Percentages are 0–100. "all": all available cash (buy) / the whole position (sell). */
export type Amount =
  | { unit: 'percentOfCash'; value: NumberLike }
  | { unit: 'percentOfEquity'; value: NumberLike }
  | { unit: 'cash'; value: NumberLike }
  | { unit: 'quantity'; value: NumberLike }
  | { unit: 'percentOfPosition'; value: NumberLike }
  | { unit: 'all' };

export const AmountSchema: z.ZodType<Amount> = z.discriminatedUnion(
  'unit',
  [
    z.strictObject({ unit: z.literal('percentOfCash'), value: NumberLikeSchema }),
    z.strictObject({ unit: z.literal('percentOfEquity'), value: NumberLikeSchema }),
    z.strictObject({ unit: z.literal('cash'), value: NumberLikeSchema }),
    z.strictObject({ unit: z.literal('quantity'), value: NumberLikeSchema }),
    z.strictObject({ unit: z.literal('percentOfPosition'), value: NumberLikeSchema }),
    z.strictObject({ unit: z.literal('all') }),
  ],
  { error: 'expected unit: percentOfCash, percentOfEquity, cash, quantity, percentOfPosition or all' },
);

export type Weighting =
  | { kind: 'equal' }
  | { kind: 'proportional'; by: Expr }
  | { kind: 'inverseVolatility'; window: Window };

/**
 * A universe rule: candidates → filter (per asset, "$asset" = the candidate) → sort by a per-asset
 * expression → keep the first `limit` → weights summing to `totalWeight` (default 1).
 */
export interface UniverseRule {
  candidates: string[];
  filter?: Condition;
  sort?: { by: Expr; order: 'asc' | 'desc' };
  limit?: NumberLike;
  weighting: Weighting;
  totalWeight?: NumberLike;
}

/**
 * `entry` (default market) says how a buy or sell is placed; `exits` attach stop-loss, take-profit, trailing
 * and time exits to the position the order opens (see src/schema/orders.ts and docs/ENGINE.md).
 */
export type Action =
  | { type: 'buy'; asset?: string; amount: Amount; entry?: Entry; exits?: Exits }
  | { type: 'sell'; asset?: string; amount: Amount; entry?: Entry; exits?: Exits }
  | { type: 'setWeight'; asset?: string; weight: NumberLike; exits?: Exits }
  | { type: 'rebalance'; weights: { asset: string; weight: NumberLike }[] }
  | { type: 'rebalance'; universe: UniverseRule }
  | { type: 'closeAll' }
  | { type: 'alert'; message: string };

const WeightingSchema: z.ZodType<Weighting> = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('equal') }),
    z.strictObject({ kind: z.literal('proportional'), by: ExprSchema }),
    z.strictObject({ kind: z.literal('inverseVolatility'), window: WindowSchema }),
  ],
  { error: 'expected weighting kind: equal, proportional or inverseVolatility' },
);

export const UniverseRuleSchema: z.ZodType<UniverseRule> = z.strictObject({
  candidates: z.array(z.string().min(1)).min(1, 'expected at least one candidate symbol'),
  filter: ConditionSchema.optional(),
  sort: z.strictObject({ by: ExprSchema, order: z.enum(['asc', 'desc']) }).optional(),
  limit: CountSchema.optional(),
  weighting: WeightingSchema,
  totalWeight: NumberLikeSchema.optional(),
});

const asset = z.string().min(1).optional();

export const ActionSchema: z.ZodType<Action> = z.union(
  [
    z.strictObject({ type: z.literal('buy'), asset, amount: AmountSchema, entry: EntrySchema.optional(), exits: ExitsSchema.optional() }),
    z.strictObject({ type: z.literal('sell'), asset, amount: AmountSchema, entry: EntrySchema.optional(), exits: ExitsSchema.optional() }),
    z.strictObject({ type: z.literal('setWeight'), asset, weight: NumberLikeSchema, exits: ExitsSchema.optional() }),
    z.strictObject({
      type: z.literal('rebalance'),
      weights: z.array(z.strictObject({ asset: z.string().min(1), weight: NumberLikeSchema })).min(1),
    }),
    z.strictObject({ type: z.literal('rebalance'), universe: UniverseRuleSchema }),
    z.strictObject({ type: z.literal('closeAll') }),
    z.strictObject({ type: z.literal('alert'), message: z.string() }),
  ],
  { error: 'expected an action: buy, sell, setWeight, rebalance, closeAll or alert' },
);

export const ACTION_TYPES = ['buy', 'sell', 'setWeight', 'rebalance', 'closeAll', 'alert'] as const;
