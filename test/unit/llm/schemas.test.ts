import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersFor, assemble } from '../../../src/llm/assemble.ts';
import { fromAnswer, toAnthropicInput, toGeminiSchema, toOpenAiStrict } from '../../../src/llm/schemas/adapt.ts';
import { TASK_SCHEMAS, taskJsonSchema, type Outline, type TaskKind } from '../../../src/llm/schemas/derive.ts';
import { parseDocument, type Action, type Condition } from '../../../src/schema/index.ts';
import { conform, objectDepth, walk } from './subset.ts';

const DIR = join(import.meta.dirname, '../../../public/strategies');
const templates = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => ({ file: f, doc: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, unknown> }));

const adapters = {
  openai: { adapt: toOpenAiStrict, strict: true },
  anthropic: { adapt: toAnthropicInput, strict: false },
  gemini: { adapt: toGeminiSchema, strict: false },
} as const;
const TASKS: TaskKind[] = ['outline', 'condition', 'action'];

describe('schemas for models, derived from the zod document schema', () => {
  it('finds the templates it must cover', () => {
    expect(templates.length).toBeGreaterThanOrEqual(5);
  });

  for (const [provider, { adapt, strict }] of Object.entries(adapters)) {
    describe(provider, () => {
      const schemas = Object.fromEntries(TASKS.map((t) => [t, adapt(taskJsonSchema(t))])) as Record<TaskKind, Record<string, unknown>>;

      for (const { file, doc } of templates) {
        it(`accepts every answer ${file} needs, and the answers map back to the same document`, () => {
          const { $schema: _s, ...input } = doc;
          const parsed = parseDocument(input);
          expect(parsed.ok).toBe(true);
          const a = answersFor(input as never);
          const wire = (task: TaskKind, v: unknown) => {
            const r = conform(v, schemas[task], schemas[task], strict);
            expect(r.ok, `${file}: ${task} answer rejected by the ${provider} schema`).toBe(true);
            return fromAnswer(r.ok ? r.value : null);
          };
          const outline = TASK_SCHEMAS.outline.parse(wire('outline', a.outline)) as Outline;
          const conditions = a.conditions.map((c) => (c === undefined ? undefined : (wire('condition', { condition: c }) as { condition: Condition }).condition));
          const actions = a.actions.map((x) => (wire('action', { action: x }) as { action: Action }).action);
          const back = parseDocument(assemble(outline, conditions, actions));
          expect(back.ok && parsed.ok && back.doc).toEqual(parsed.ok && parsed.doc);
        });
      }
    });
  }

  it('OpenAI strict: root object, every object closed with all properties required, within the documented limits', () => {
    for (const t of TASKS) {
      const s = toOpenAiStrict(taskJsonSchema(t));
      expect(s.type).toBe('object');
      expect(s.anyOf).toBeUndefined();
      let properties = 0;
      let enums = 0;
      walk(s, (n) => {
        if (n.type === 'object') {
          expect(n.additionalProperties).toBe(false);
          expect(n.required).toEqual(Object.keys(n.properties as object));
          properties += Object.keys(n.properties as object).length;
        }
        if (Array.isArray(n.enum)) enums += n.enum.length;
        for (const k of ['oneOf', 'allOf', 'not', 'const', 'pattern', 'minimum', 'exclusiveMinimum', 'minItems', 'default', '$schema']) expect(n[k]).toBeUndefined();
      });
      expect(objectDepth(s, s)).toBeLessThanOrEqual(10);
      expect(properties).toBeLessThanOrEqual(5000);
      expect(enums).toBeLessThanOrEqual(1000);
    }
  });

  it('Gemini: no references, upper-case types, string enums only, property order given', () => {
    for (const t of TASKS) {
      const s = toGeminiSchema(taskJsonSchema(t));
      walk(s, (n) => {
        expect(n.$ref).toBeUndefined();
        expect(n.$defs).toBeUndefined();
        expect(n.additionalProperties).toBeUndefined();
        expect(n.const).toBeUndefined();
        if (n.type !== undefined && typeof n.type === 'string' && !('properties' in n && n.type === undefined)) expect(n.type).toMatch(/^[A-Z]+$/);
        if (Array.isArray(n.enum)) expect(n.enum.every((x) => typeof x === 'string')).toBe(true);
        if (n.type === 'OBJECT') expect(n.propertyOrdering).toEqual(Object.keys(n.properties as object));
      });
    }
  });

  it('regression: a boolean constant (timeExit.sessionClose: true) broke every Gemini request ("Gemini enums hold strings only")', () => {
    const s = toGeminiSchema({ type: 'object', properties: { sessionClose: { const: true, description: 'Close at the session close.' }, n: { enum: [1, 2] } }, required: ['sessionClose'] });
    expect(s.properties).toEqual({
      sessionClose: { type: 'BOOLEAN', description: 'Close at the session close. Must be true.' },
      n: { type: 'NUMBER', description: 'Must be 1 or 2.' },
    });
    expect(() => toGeminiSchema({ enum: ['a', 1] })).toThrow(/Gemini cannot express the enum/);
    // The whole action task, which holds sessionClose, converts.
    expect(() => toGeminiSchema(taskJsonSchema('action'))).not.toThrow();
  });

  it('bounded recursion keeps every shallower tree and drops only what is deeper than the budget', () => {
    const s = toGeminiSchema(taskJsonSchema('condition'));
    // Three condition levels: within OpenAI's budget (3), beyond Gemini's (2).
    const deep = { condition: { all: [{ not: { lhs: 1, op: '>', rhs: 2 } }] } };
    const shallow = { condition: { all: [{ lhs: { kind: 'math', op: '*', args: [1.02, { kind: 'sma', window: { bars: 20 } }] }, op: '<', rhs: { kind: 'price', field: 'close' } }] } };
    expect(conform(shallow, s).ok).toBe(true);
    expect(conform(deep, s).ok).toBe(false);
    const o = toOpenAiStrict(taskJsonSchema('condition'));
    expect(conform(deep, o, o, true).ok).toBe(true);
  });

  it('a field added to the zod schema reaches every adapted schema (nothing is hand-copied)', () => {
    const outline = taskJsonSchema('outline') as { properties: { settings: { properties: Record<string, unknown> } } };
    const settingsKeys = Object.keys(outline.properties.settings.properties);
    expect(settingsKeys).toEqual(Object.keys((TASK_SCHEMAS.outline.shape.settings as unknown as { shape: object }).shape));
  });
});
