/**
 * Bounded recursion for schema subsets that cannot express it. The strategy grammar is recursive (a condition
 * holds conditions, an expression holds expressions); structured-output subsets either forbid references
 * (Gemini) or bound nesting (OpenAI). `unroll` gives every recursive definition a depth budget: each level is
 * its own definition (or is inlined), and an alternative that would go deeper than the budget is removed.
 * Everything a shallower document can say is kept exactly.
 */
export type Json = Record<string, unknown>;

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const refName = (ref: string) => ref.replace(/^#\/\$defs\//, '');

/** For each definition, every definition it can reach through references (itself included when recursive). */
function reachability(defs: Record<string, Json>): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const collect = (node: unknown, into: Set<string>): void => {
    if (Array.isArray(node)) node.forEach((x) => collect(x, into));
    else if (isObj(node)) {
      if (typeof node.$ref === 'string') into.add(refName(node.$ref));
      for (const v of Object.values(node)) collect(v, into);
    }
  };
  for (const [k, v] of Object.entries(defs)) {
    const s = new Set<string>();
    collect(v, s);
    edges.set(k, s);
  }
  const out = new Map<string, Set<string>>();
  for (const start of Object.keys(defs)) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(edges.get(n) ?? []));
    }
    out.set(start, seen);
  }
  return out;
}

/**
 * @param depth how many levels each recursive definition may nest (≥ 1).
 * @param inline true: no `$ref` left at all; false: one `$defs` entry per (definition, level).
 */
export function unroll(root: Json, depth: number, inline: boolean): Json {
  const defs = (isObj(root.$defs) ? root.$defs : {}) as Record<string, Json>;
  const reach = reachability(defs);
  const recursive = new Set([...reach].filter(([k, r]) => r.has(k)).map(([k]) => k));
  const out: Record<string, Json> = {};
  const names = new Map<string, string>();

  const resolve = (node: unknown, levels: ReadonlyMap<string, number>): unknown => {
    if (Array.isArray(node)) return node.map((x) => resolve(x, levels));
    if (!isObj(node)) return node;
    if (typeof node.$ref === 'string') {
      const name = refName(node.$ref);
      const def = defs[name];
      if (!def) throw new Error(`schema reference ${node.$ref} has no definition`);
      if (!recursive.has(name)) return resolve(def, levels);
      const level = (levels.get(name) ?? depth + 1) - 1;
      if (level <= 0) return null;
      const next = new Map(levels).set(name, level);
      if (inline) return resolve(def, next);
      // A level's body depends only on the budgets of the definitions it can reach: key it by those alone,
      // so an expression under a condition two levels deep is the same definition as one under the root.
      const relevant = reach.get(name)!;
      const key = `${name}@${[...next].filter(([k]) => relevant.has(k)).map(([k, v]) => `${k}:${v}`).join(',')}`;
      if (!names.has(key)) {
        const id = `${name.replace(/^_+/, '')}_level${level}${names.size}`;
        names.set(key, id);
        const body = resolve(def, next);
        if (body === null) {
          names.set(key, '');
          return null;
        }
        out[id] = body as Json;
      }
      const id = names.get(key)!;
      return id === '' ? null : { $ref: `#/$defs/${id}` };
    }
    const result: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$defs') continue;
      if (k === 'anyOf' || k === 'oneOf') {
        const alts = (v as unknown[]).map((x) => resolve(x, levels)).filter((x) => x !== null);
        if (alts.length === 0) return null;
        result[k] = alts;
      } else if (k === 'properties') {
        const props: Json = {};
        const required = new Set((node.required as string[] | undefined) ?? []);
        for (const [p, s] of Object.entries(v as Json)) {
          const r = resolve(s, levels);
          if (r === null) {
            if (required.has(p)) return null;
            continue;
          }
          props[p] = r;
        }
        result.properties = props;
      } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
        const r = resolve(v, levels);
        if (r === null) return null;
        result[k] = r;
      } else {
        result[k] = v;
      }
    }
    return result;
  };

  const body = resolve(root, new Map()) as Json | null;
  if (body === null) throw new Error('the schema allows no value within the nesting budget');
  return inline || Object.keys(out).length === 0 ? body : { ...body, $defs: out };
}
