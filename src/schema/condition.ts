import { z } from 'zod';
import { CountSchema, type NumberLike } from './number.ts';
import { ExprSchema, type Expr } from './expr.ts';

export const COMPARATORS = ['>', '>=', '<', '<=', '=', '!=', 'crossesAbove', 'crossesBelow'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/**
 * compare(lhs, op, rhs), all, any, not, atLeast(n, of), atMost(n, of).
 * crossesAbove: lhs was ≤ rhs on the previous evaluation and is > rhs now (crossesBelow mirrors it);
 * false on the first evaluation and whenever either side was not yet ready on the previous one.
 */
export type Condition =
  | { lhs: Expr; op: Comparator; rhs: Expr }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { atLeast: NumberLike; of: Condition[] }
  | { atMost: NumberLike; of: Condition[] };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({
        lhs: ExprSchema,
        op: z.enum(COMPARATORS, { error: `expected one of ${COMPARATORS.join(' ')}` }),
        rhs: ExprSchema,
      }),
      z.strictObject({ all: z.array(ConditionSchema).min(1, 'expected at least one condition') }),
      z.strictObject({ any: z.array(ConditionSchema).min(1, 'expected at least one condition') }),
      z.strictObject({ not: ConditionSchema }),
      z.strictObject({ atLeast: CountSchema, of: z.array(ConditionSchema).min(1, 'expected at least one condition') }),
      z.strictObject({ atMost: z.union([z.number().int().nonnegative(), CountSchema]), of: z.array(ConditionSchema).min(1) }),
    ],
    { error: 'expected a condition: {lhs, op, rhs}, {all}, {any}, {not}, {atLeast, of} or {atMost, of}' },
  ),
);
