import { unroll, type Json } from './unroll.ts';

/**
 * One canonical JSON Schema per task (schemas/derive.ts, from zod) adapted to each provider's subset.
 * Constraints a subset cannot carry move into the description, so the model still reads them; zod checks
 * them on the answer either way, and a violation comes back to the model as an error to fix.
 */

/** Recursion depth per provider: OpenAI keeps each level as a definition, Gemini inlines everything. */
export const OPENAI_DEPTH = 3;
export const GEMINI_DEPTH = 2;
/** OpenAI's documented limit on nested object levels in a strict schema. */
export const OPENAI_MAX_NESTING = 10;

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Constraints in words ("at least 1 item; > 0"), for subsets that drop the keywords. */
function constraintText(n: Json): string {
  const out: string[] = [];
  if (typeof n.minItems === 'number' && n.minItems > 0) out.push(`at least ${n.minItems} item${n.minItems === 1 ? '' : 's'}`);
  if (typeof n.maxItems === 'number') out.push(`at most ${n.maxItems} items`);
  if (typeof n.minLength === 'number' && n.minLength > 0) out.push('not empty');
  if (typeof n.pattern === 'string') out.push(`matches /${n.pattern}/`);
  if (typeof n.exclusiveMinimum === 'number') out.push(`> ${n.exclusiveMinimum}`);
  if (typeof n.minimum === 'number') out.push(`≥ ${n.minimum}`);
  if (typeof n.exclusiveMaximum === 'number') out.push(`< ${n.exclusiveMaximum}`);
  if (typeof n.maximum === 'number' && n.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${n.maximum}`);
  if (n.type === 'integer') out.push('a whole number');
  if (n.default !== undefined) out.push(`default ${JSON.stringify(n.default)}`);
  return out.join('; ');
}

function describe(n: Json): string | undefined {
  const parts = [typeof n.description === 'string' ? n.description : '', constraintText(n)].filter(Boolean);
  return parts.length ? parts.join(' — ') : undefined;
}

/**
 * OpenAI Structured Outputs, strict mode: root an object; every object lists all its properties as required
 * and sets additionalProperties false; an optional property becomes "X or null"; only type, properties,
 * required, items, anyOf, enum, $ref/$defs and description are kept (OpenAI-compatible servers implement
 * less than OpenAI itself); recursion bounded to OPENAI_DEPTH levels so nesting stays within the limit.
 */
export function toOpenAiStrict(schema: Json): Json {
  // The deepest budget whose expansion stays within the nesting limit (the action, which can hold a
  // universe rule holding a condition, needs one level less than a condition alone).
  for (let depth = OPENAI_DEPTH; ; depth--) {
    const s = strictOf(unroll(schema, depth, false));
    if (depth === 1 || nestingDepth(s, s) <= OPENAI_MAX_NESTING) return s;
  }
}

/** Deepest chain of nested objects when every reference is followed (refs must not recurse). */
export function nestingDepth(schema: unknown, root: Json): number {
  if (Array.isArray(schema)) return Math.max(0, ...schema.map((s) => nestingDepth(s, root)));
  if (!isObj(schema)) return 0;
  if (typeof schema.$ref === 'string') return nestingDepth((root.$defs as Json)[schema.$ref.replace('#/$defs/', '')], root);
  let inner = 0;
  for (const [k, v] of Object.entries(schema)) if (k !== '$defs') inner = Math.max(inner, nestingDepth(v, root));
  return (schema.type === 'object' ? 1 : 0) + inner;
}

function strictOf(u: Json): Json {
  const conv = (n: Json): Json => {
    if (typeof n.$ref === 'string') return { $ref: n.$ref };
    const out: Json = {};
    const d = describe(n);
    if (d) out.description = d;
    const alts = (n.anyOf ?? n.oneOf) as Json[] | undefined;
    if (alts) return { ...out, anyOf: alts.map(conv) };
    if (n.const !== undefined) return { ...out, type: typeof n.const === 'number' ? 'number' : typeof n.const, enum: [n.const] };
    if (n.type !== undefined) out.type = n.type;
    if (Array.isArray(n.enum)) out.enum = n.enum;
    if (n.type === 'object' || isObj(n.properties)) {
      const props = (n.properties ?? {}) as Record<string, Json>;
      const required = new Set((n.required as string[] | undefined) ?? []);
      out.type = 'object';
      out.properties = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, required.has(k) ? conv(v) : { anyOf: [conv(v), { type: 'null' }] }]),
      );
      out.required = Object.keys(props);
      out.additionalProperties = false;
    }
    if (isObj(n.items)) out.items = conv(n.items);
    if (out.type === undefined && out.enum === undefined) throw new Error(`schema node without a type: ${JSON.stringify(n).slice(0, 120)}`);
    return out;
  };
  const root = conv(u);
  if (isObj(u.$defs)) root.$defs = Object.fromEntries(Object.entries(u.$defs as Record<string, Json>).map(([k, v]) => [k, conv(v)]));
  return root;
}

const GEMINI_TYPE: Record<string, string> = {
  string: 'STRING', number: 'NUMBER', integer: 'INTEGER', boolean: 'BOOLEAN', array: 'ARRAY', object: 'OBJECT', null: 'NULL',
};

/**
 * Gemini enums hold strings only: a boolean or numeric constant (e.g. `sessionClose: true`) keeps its type and
 * says the allowed values in its description; the document's validation refuses anything else and the repair
 * loop sends that error back to the model.
 */
function scalarChoice(out: Json, values: unknown[]): Json {
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size !== 1 || !(kinds.has('boolean') || kinds.has('number'))) throw new Error(`Gemini cannot express the enum ${JSON.stringify(values).slice(0, 80)}`);
  const allowed = `Must be ${values.map((v) => JSON.stringify(v)).join(' or ')}.`;
  return { ...out, description: out.description ? `${String(out.description)} ${allowed}` : allowed, type: kinds.has('boolean') ? 'BOOLEAN' : 'NUMBER' };
}

/**
 * Gemini's responseSchema: a subset of OpenAPI 3.0's Schema object — upper-case `type`, string-only `enum`,
 * `anyOf`, `properties`/`required`/`propertyOrdering`, `items`, `minItems`; no `$ref`, no `const`, no
 * `additionalProperties`. Recursion is inlined to GEMINI_DEPTH levels.
 */
export function toGeminiSchema(schema: Json): Json {
  const conv = (n: Json): Json => {
    const out: Json = {};
    const d = describe(n);
    if (d) out.description = d;
    const alts = (n.anyOf ?? n.oneOf) as Json[] | undefined;
    if (alts) return { ...out, anyOf: alts.map(conv) };
    if (n.const !== undefined) {
      if (typeof n.const === 'string') return { ...out, type: 'STRING', format: 'enum', enum: [n.const] };
      return scalarChoice(out, [n.const]);
    }
    if (Array.isArray(n.enum)) {
      if (n.enum.every((x) => typeof x === 'string')) return { ...out, type: 'STRING', format: 'enum', enum: n.enum };
      return scalarChoice(out, n.enum);
    }
    if (Array.isArray(n.type)) return { ...out, anyOf: n.type.map((t) => conv({ ...n, type: t })) };
    const type = typeof n.type === 'string' ? GEMINI_TYPE[n.type] : isObj(n.properties) ? 'OBJECT' : undefined;
    if (!type) throw new Error(`schema node without a type: ${JSON.stringify(n).slice(0, 120)}`);
    out.type = type;
    if (type === 'OBJECT') {
      const props = (n.properties ?? {}) as Record<string, Json>;
      out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, conv(v)]));
      out.required = ((n.required as string[] | undefined) ?? []).filter((k) => k in props);
      out.propertyOrdering = Object.keys(props);
    }
    if (type === 'ARRAY' && isObj(n.items)) {
      out.items = conv(n.items);
      if (typeof n.minItems === 'number') out.minItems = n.minItems;
    }
    return out;
  };
  return conv(unroll(schema, GEMINI_DEPTH, true));
}

/** Anthropic tool input: JSON Schema with references, recursion allowed; the root must be an object. */
export function toAnthropicInput(schema: Json): Json {
  const { $schema: _drop, ...rest } = schema;
  if (rest.type !== 'object') throw new Error('a tool input schema must be an object');
  return rest;
}

/**
 * Maps a structured answer back to the document's shape: strict mode writes `null` for every optional
 * property the model leaves out, and the document never uses null, so a null property means "absent".
 */
export function fromAnswer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromAnswer);
  if (!isObj(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = fromAnswer(v);
  return out;
}
