import { z } from 'zod';

/** `{"$param": "fast"}`: a placeholder for a named parameter that optimization varies. */
export interface ParamRef {
  $param: string;
}
export const ParamRefSchema = z.strictObject({
  $param: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are letters, digits and _'),
});

/** A number written inline, or a parameter placeholder. */
export type NumberLike = number | ParamRef;
export const NumberLikeSchema = z.union([z.number().finite(), ParamRefSchema], {
  error: 'expected a number or {"$param": name}',
});

/**
 * Largest window length or count: a million bars (about 10 years of minutes) already needs 8 MB per
 * buffer; 2^31 would fail to allocate at run time.
 */
export const MAX_COUNT = 1_000_000;

/** Positive whole number (window lengths, counts) or a parameter. */
export const CountSchema = z.union([
  z.number().int('expected a whole number').positive('expected a number > 0').max(MAX_COUNT, `expected at most ${MAX_COUNT.toLocaleString('en-US')}`),
  ParamRefSchema,
], {
  error: 'expected a whole number or {"$param": name}',
});

export function isParamRef(x: unknown): x is ParamRef {
  return typeof x === 'object' && x !== null && '$param' in x;
}
