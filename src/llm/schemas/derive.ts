import { z } from 'zod';
import { ActionSchema, ConditionSchema, ParameterConstraintsSchema, ParameterSchema, ParamRefSchema, SettingsSchema, StrategySchema } from '../../schema/index.ts';
import type { Json } from './unroll.ts';

/**
 * What the model writes, as zod schemas built from the document's own pieces, so a field another part of the
 * app adds to the document (a setting, an order type) reaches the model without an edit here.
 *
 * The outline is the document minus the trees: settings, parameters (a list, because structured-output
 * subsets have no maps), and per strategy its id, name and, in words, when it fires and what it does. The
 * trees come from focused sub-tasks that run in parallel: one condition and one action per strategy.
 */
export const EDIT_CHOICES = ['keep', 'condition', 'action', 'both'] as const;

export const OutlineSchema = z.object({
  name: z.string().min(1).describe('Short name of the strategy document'),
  description: z.string().optional().describe('One or two sentences on the idea'),
  settings: SettingsSchema,
  parameters: z
    .array(z.object({ name: ParamRefSchema.shape.$param, parameter: ParameterSchema }))
    .describe('Named numbers the user may want to tune (windows, thresholds); the trees refer to them as {"$param": name}'),
  parameterConstraints: ParameterConstraintsSchema.optional(),
  strategies: z
    .array(
      z.object({
        id: StrategySchema.shape.id,
        name: StrategySchema.shape.name,
        when: z.string().optional().describe('In plain English, exactly when the action fires; omit when it fires on every bar'),
        then: z.string().describe('In plain English, exactly what it does (asset, side, amount)'),
        edit: z.enum(EDIT_CHOICES).optional().describe('Edit mode only: which parts of an existing strategy (same id) change; new strategies: both'),
      }),
    )
    .min(1)
    .describe('Rules in evaluation order, sharing one portfolio'),
  unsupported: z.array(z.string()).describe('Each part of the request this grammar cannot express, in words; empty when everything fits'),
});
export type Outline = z.output<typeof OutlineSchema>;

export const ConditionTaskSchema = z.object({ condition: ConditionSchema });
export const ActionTaskSchema = z.object({ action: ActionSchema });

export type TaskKind = 'outline' | 'condition' | 'action';
export const TASK_SCHEMAS = { outline: OutlineSchema, condition: ConditionTaskSchema, action: ActionTaskSchema } as const;
export const SCHEMA_NAMES: Record<TaskKind, string> = { outline: 'strategy_outline', condition: 'strategy_condition', action: 'strategy_action' };

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The one property of an alternative whose value is a string constant (its discriminator), if any. */
function discriminator(alt: unknown): string | null {
  if (!isObj(alt) || !isObj(alt.properties)) return null;
  const keys = Object.entries(alt.properties).filter(([, v]) => isObj(v) && typeof v.const === 'string').map(([k]) => k);
  return keys.length === 1 ? keys[0]! : null;
}

/**
 * Folds union alternatives that differ only in their discriminator's constant into one alternative with an
 * enum (`sma`, `ema`, … all take {asset, source, window}): the same set of values, a third of the schema.
 */
export function mergeAlternatives(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(mergeAlternatives);
  if (!isObj(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = mergeAlternatives(v);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = out[key];
    if (!Array.isArray(alts)) continue;
    const groups = new Map<string, { alt: Json; prop: string; values: string[] }>();
    const merged: unknown[] = [];
    for (const alt of alts) {
      const prop = discriminator(alt);
      if (prop === null) {
        merged.push(alt);
        continue;
      }
      const a = alt as Json;
      const props = a.properties as Json;
      const { [prop]: d, ...rest } = props;
      const sig = `${prop}|${JSON.stringify({ ...a, properties: rest })}`;
      const g = groups.get(sig);
      const value = (d as Json).const as string;
      if (g) g.values.push(value);
      else {
        const entry = { alt: a, prop, values: [value] };
        groups.set(sig, entry);
        merged.push(entry);
      }
    }
    out[key] = merged.map((m) => {
      if (!isObj(m) || !('values' in m) || !('prop' in m)) return m;
      const g = m as unknown as { alt: Json; prop: string; values: string[] };
      if (g.values.length === 1) return g.alt;
      const props = g.alt.properties as Json;
      return { ...g.alt, properties: { ...props, [g.prop]: { type: 'string', enum: g.values } } };
    });
  }
  return out;
}

/** The canonical JSON Schema of a task's answer (zod 4's export, input side, recursion as $defs references). */
export function taskJsonSchema(task: TaskKind): Json {
  const j = z.toJSONSchema(TASK_SCHEMAS[task], { io: 'input', cycles: 'ref', reused: 'ref' }) as Json;
  return mergeAlternatives(j) as Json;
}
