/**
 * A small validator for the structural part of the three schema dialects (JSON Schema with $ref, OpenAI
 * strict, Gemini's upper-case OpenAPI subset). It answers "can a model constrained by this schema write this
 * value?" and, for strict mode, returns the value as the model must write it (an absent optional property as
 * null). Value constraints (minimum, pattern) are zod's job and are not checked here.
 */
type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

export function conform(value: unknown, schema: Json, root: Json = schema, strict = false): { ok: true; value: unknown } | { ok: false } {
  if (typeof schema.$ref === 'string') {
    const def = (root.$defs as Record<string, Json>)[schema.$ref.replace('#/$defs/', '')];
    if (!def) throw new Error(`dangling ${schema.$ref}`);
    return conform(value, def, root, strict);
  }
  const alts = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alts) {
    for (const a of alts) {
      const r = conform(value, a, root, strict);
      if (r.ok) return r;
    }
    return { ok: false };
  }
  if (value === null) return schema.nullable === true || schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null')) ? { ok: true, value } : { ok: false };
  if (schema.const !== undefined && value !== schema.const) return { ok: false };
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return { ok: false };
  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]).map((t) => String(t).toLowerCase());
  const is = (t: string) => types.length === 0 || types.includes(t);
  if (typeof value === 'string') return is('string') ? { ok: true, value } : { ok: false };
  if (typeof value === 'boolean') return is('boolean') ? { ok: true, value } : { ok: false };
  if (typeof value === 'number') return is('number') || (is('integer') && Number.isInteger(value)) ? { ok: true, value } : { ok: false };
  if (Array.isArray(value)) {
    if (!is('array') || !isObj(schema.items)) return { ok: false };
    const out: unknown[] = [];
    for (const v of value) {
      const r = conform(v, schema.items, root, strict);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (!isObj(value) || !is('object')) return { ok: false };
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const k of Object.keys(value)) if (!(k in props)) return { ok: false };
  const out: Json = {};
  for (const [k, s] of Object.entries(props)) {
    if (!(k in value)) {
      if (!required.has(k)) continue;
      if (!strict) return { ok: false };
      const r = conform(null, s, root, strict);
      if (!r.ok) return r;
      out[k] = null;
      continue;
    }
    const r = conform(value[k], s, root, strict);
    if (!r.ok) return r;
    out[k] = r.value;
  }
  return { ok: true, value: out };
}

/** Deepest chain of nested objects when every reference is followed (the schema must be finite). */
export function objectDepth(schema: unknown, root: Json, seen: string[] = []): number {
  if (Array.isArray(schema)) return Math.max(0, ...schema.map((s) => objectDepth(s, root, seen)));
  if (!isObj(schema)) return 0;
  if (typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref)) throw new Error(`recursive reference ${schema.$ref}`);
    return objectDepth((root.$defs as Json)[schema.$ref.replace('#/$defs/', '')], root, [...seen, schema.$ref]);
  }
  const own = schema.type === 'object' || schema.type === 'OBJECT' ? 1 : 0;
  let inner = 0;
  for (const [k, v] of Object.entries(schema)) if (k !== '$defs') inner = Math.max(inner, objectDepth(v, root, seen));
  return own + inner;
}

/** Visits every schema node (not the name→schema maps under `properties` and `$defs`). */
export function walk(schema: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(schema)) schema.forEach((s) => walk(s, visit));
  else if (isObj(schema)) {
    visit(schema);
    for (const [k, v] of Object.entries(schema)) {
      if ((k === 'properties' || k === '$defs') && isObj(v)) Object.values(v).forEach((x) => walk(x, visit));
      else walk(v, visit);
    }
  }
}
