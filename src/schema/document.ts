import { z } from 'zod';
import { ActionSchema } from './action.ts';
import { ConditionSchema } from './condition.ts';
import { SettingsSchema } from './settings.ts';

export const CURRENT_VERSION = 1;

/** A named parameter: its default, and the range or list optimization may vary it over. */
export const ParameterSchema = z
  .strictObject({
    default: z.number().finite(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    step: z.number().positive().optional(),
    values: z.array(z.number().finite()).min(1).optional(),
    description: z.string().optional(),
  })
  .superRefine((p, ctx) => {
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
  strategies: z.array(StrategySchema).min(1, 'expected at least one strategy'),
});

export type StrategyDocument = z.output<typeof DocumentSchema>;
export type StrategyDocumentInput = z.input<typeof DocumentSchema>;
export type Strategy = z.output<typeof StrategySchema>;
export type Parameter = z.output<typeof ParameterSchema>;
