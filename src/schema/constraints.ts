import { z } from 'zod';
import { formatPath, type SchemaError } from './errors.ts';
import { ParamRefSchema } from './number.ts';

/**
 * Parameter constraints: relations between two parameters that every combination a search tries must satisfy
 * (`fast < slow`). Bounds against a number are the parameter's own min/max; a constraint relates two names.
 */
export const CONSTRAINT_OPS = ['<', '<=', '>', '>='] as const;
export type ConstraintOp = (typeof CONSTRAINT_OPS)[number];

/** Most constraints one document may hold (a search checks each one per candidate). */
export const MAX_CONSTRAINTS = 50;

const paramName = ParamRefSchema.shape.$param;

export const ParameterConstraintSchema = z
  .strictObject({
    left: paramName.describe('A parameter name (declared under parameters)'),
    op: z.enum(CONSTRAINT_OPS),
    right: paramName.describe('Another parameter name (declared under parameters)'),
  })
  .describe('A relation two parameters must keep in every combination a search tries, e.g. {"left": "fast", "op": "<", "right": "slow"}');

export const ParameterConstraintsSchema = z
  .array(ParameterConstraintSchema)
  .max(MAX_CONSTRAINTS, `expected at most ${MAX_CONSTRAINTS} constraints`)
  .describe('Parameter constraints honoured by every optimization search; the defaults must satisfy them');

export type ParameterConstraint = z.output<typeof ParameterConstraintSchema>;

export function formatConstraint(c: ParameterConstraint): string {
  return `${c.left} ${c.op === '<=' ? '≤' : c.op === '>=' ? '≥' : c.op} ${c.right}`;
}

export function holds(op: ConstraintOp, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** The first constraint `params` break, or undefined when they satisfy every one (a missing name breaks it). */
export function brokenConstraint(constraints: readonly ParameterConstraint[] | undefined, params: Readonly<Record<string, number>>): ParameterConstraint | undefined {
  for (const c of constraints ?? []) {
    const a = params[c.left], b = params[c.right];
    if (a === undefined || b === undefined || !holds(c.op, a, b)) return c;
  }
  return undefined;
}

/**
 * What the shape cannot say: both names are declared parameters, the two sides differ, and the defaults (the
 * combination a plain backtest runs) satisfy the constraint. Paths point at the offending field.
 */
export function constraintErrors(constraints: readonly ParameterConstraint[] | undefined, parameters: Readonly<Record<string, { default: number }>>): SchemaError[] {
  const errors: SchemaError[] = [];
  const names = Object.keys(parameters);
  const declared = names.length ? names.join(', ') : 'none';
  (constraints ?? []).forEach((c, i) => {
    let known = true;
    for (const side of ['left', 'right'] as const) {
      if (!Object.hasOwn(parameters, c[side])) {
        known = false;
        errors.push({ path: formatPath(['parameterConstraints', i, side]), message: `unknown parameter "${c[side]}"; the document declares: ${declared}` });
      }
    }
    if (!known) return;
    if (c.left === c.right) {
      errors.push({ path: formatPath(['parameterConstraints', i, 'right']), message: `a constraint relates two different parameters, got "${c.left}" on both sides` });
      return;
    }
    const a = parameters[c.left]!.default, b = parameters[c.right]!.default;
    if (!holds(c.op, a, b)) {
      errors.push({ path: formatPath(['parameterConstraints', i]), message: `the defaults break ${formatConstraint(c)} (${c.left} = ${a}, ${c.right} = ${b}); change a default or the constraint` });
    }
  });
  return errors;
}

/** One searched parameter's values, or a fixed one's single value. */
export interface ConstraintDimension {
  readonly name: string;
  readonly values: readonly number[];
}

/**
 * A feasibility test over index vectors (one index per dimension, in `dims` order), compiled once: each side
 * of each constraint reads a dimension's value or a fixed value. Null when there is nothing to check.
 */
export function feasibilityOf(
  constraints: readonly ParameterConstraint[] | undefined, dims: readonly ConstraintDimension[], fixed: Readonly<Record<string, number>>,
): ((indices: readonly number[]) => boolean) | null {
  if (!constraints || constraints.length === 0) return null;
  const side = (name: string): ((g: readonly number[]) => number) => {
    const d = dims.findIndex((x) => x.name === name);
    if (d >= 0) {
      const values = dims[d]!.values;
      return (g) => values[g[d]!]!;
    }
    const v = fixed[name] ?? NaN;
    return () => v;
  };
  const checks = constraints.map((c) => ({ op: c.op, a: side(c.left), b: side(c.right) }));
  return (g) => {
    for (const c of checks) if (!holds(c.op, c.a(g), c.b(g))) return false;
    return true;
  };
}

/** Largest grid whose feasible combinations are counted one by one (a few comparisons each). */
export const COUNT_LIMIT = 2_000_000;

/**
 * Feasible combinations of the dimensions (every index vector, last dimension fastest), or null when the
 * grid is larger than `limit` and counting would take too long.
 */
export function countFeasible(
  constraints: readonly ParameterConstraint[] | undefined, dims: readonly ConstraintDimension[], fixed: Readonly<Record<string, number>>,
  limit = COUNT_LIMIT,
): number | null {
  const size = dims.reduce((n, d) => n * d.values.length, 1);
  const check = feasibilityOf(constraints, dims, fixed);
  if (!check) return size;
  if (size > limit) return null;
  const g = new Array<number>(dims.length).fill(0);
  let count = 0;
  for (let n = 0; n < size; n++) {
    if (check(g)) count++;
    // Odometer: advance the last dimension, carrying into earlier ones.
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++g[i]! < dims[i]!.values.length) break;
      g[i] = 0;
    }
  }
  return count;
}
