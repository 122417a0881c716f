import { z } from 'zod';
import { ActionSchema } from './action.ts';
import { ConditionSchema } from './condition.ts';
import { SettingsSchema } from './settings.ts';
import { ParameterConstraintsSchema } from './constraints.ts';

export const CURRENT_VERSION = 1;

/** A named parameter: its default, and the range or list optimization may vary it over. */
/** Parameter values stay within ±1e15, where doubles still hold every integer and sums stay finite. */
export const MAX_PARAMETER_ABS = 1e15;
/** Most values one parameter may take in a search (its list, or (max − min) / step + 1). */
export const MAX_PARAMETER_VALUES = 10_000;

const paramNumber = z.number().finite().min(-MAX_PARAMETER_ABS, `expected at least -${MAX_PARAMETER_ABS}`)
  .max(MAX_PARAMETER_ABS, `expected at most ${MAX_PARAMETER_ABS}`);

export const ParameterSchema = z
  .strictObject({
    default: paramNumber,
    min: paramNumber.optional(),
    max: paramNumber.optional(),
    step: z.number().positive().max(MAX_PARAMETER_ABS).optional(),
    values: z.array(paramNumber).min(1).max(MAX_PARAMETER_VALUES, `expected at most ${MAX_PARAMETER_VALUES} values`).optional(),
    description: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.min !== undefined && p.max !== undefined && p.step !== undefined && (p.max - p.min) / p.step + 1 > MAX_PARAMETER_VALUES) {
      ctx.addIssue({
        code: 'custom', path: ['step'],
        message: `step ${p.step} makes ${Math.floor((p.max - p.min) / p.step + 1).toLocaleString('en-US')} values from ${p.min} to ${p.max}; at most ${MAX_PARAMETER_VALUES.toLocaleString('en-US')} (use a larger step)`,
      });
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `min ${p.min} is greater than max ${p.max}` });
    }
    if (p.min !== undefined && p.default < p.min) ctx.addIssue({ code: 'custom', path: ['default'], message: `default ${p.default} is below min ${p.min}` });
    if (p.max !== undefined && p.default > p.max) ctx.addIssue({ code: 'custom', path: ['default'], message: `default ${p.default} is above max ${p.max}` });
  });

export const StrategySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -'),
  name: z.string().min(1),
  /** Omitted: the action fires on every bar (e.g. a scheduled rebalance guarded elsewhere, or buy-and-hold). */
  condition: ConditionSchema.optional(),
  action: ActionSchema,
});

export const DocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(CURRENT_VERSION, { error: `expected version ${CURRENT_VERSION}` }),
  name: z.string().min(1),
  description: z.string().optional(),
  settings: SettingsSchema,
  parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ParameterSchema).default({}),
  parameterConstraints: ParameterConstraintsSchema.optional(),
  strategies: z.array(StrategySchema).min(1, 'expected at least one strategy'),
});

export type StrategyDocument = z.output<typeof DocumentSchema>;
export type StrategyDocumentInput = z.input<typeof DocumentSchema>;
export type Strategy = z.output<typeof StrategySchema>;
export type Parameter = z.output<typeof ParameterSchema>;
