import { formatPath, type SchemaError } from './errors.ts';

/**
 * Caps every document (file, link, editor, LLM answer) must stay under before the schema looks at it.
 * They bound what validation, compilation and the builder must handle, and keep recursive code far from
 * the call stack's limit: a real strategy is a few hundred values and a dozen levels deep; 5,000 conditions
 * in one group (~35,000 values, ~180 KB) still pass.
 */
export const DOCUMENT_LIMITS = {
  /** Nesting of JSON objects and arrays; `{"all": [{"not": …}]}` costs one level per object and per array. */
  maxDepth: 64,
  /** Objects, arrays, strings, numbers, booleans and nulls in the whole document. */
  maxValues: 100_000,
  /** Approximate size as compact JSON (keys, strings, ~8 bytes per number). Also the CLI's file limit. */
  maxBytes: 1 << 20,
} as const;

/** The one rule for keys every entry point applies: none of these reaches zod, the compiler or a store. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number;
}

function pathOf(f: Frame | null): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p = f; p && p.parent; p = p.parent) out.push(p.key);
  return out.reverse();
}

/**
 * Checks size, depth and forbidden keys with an explicit stack (never recursion, so a 100,000-deep input
 * is refused, not a stack overflow). Returns at most one error per rule, each with a JSON path.
 * `base` prefixes the paths (e.g. ["doc"] inside a link).
 */
export function shapeErrors(input: unknown, base: readonly (string | number)[] = []): SchemaError[] {
  const errors: SchemaError[] = [];
  const at = (f: Frame | null) => formatPath([...base, ...pathOf(f)]);
  let values = 0, bytes = 0, deep = false, forbidden = false;
  const stack: Frame[] = [{ value: input, depth: 0, parent: null, key: '' }];
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.value;
    values++;
    if (values > DOCUMENT_LIMITS.maxValues) {
      errors.push({ path: at(null), message: `the document has more than ${DOCUMENT_LIMITS.maxValues.toLocaleString('en-US')} values; split it or simplify it` });
      break;
    }
    if (typeof v === 'string') bytes += v.length + 3;
    else if (typeof v !== 'object' || v === null) bytes += 8;
    else {
      if (f.depth >= DOCUMENT_LIMITS.maxDepth) {
        if (!deep) errors.push({ path: at(f), message: `nested more than ${DOCUMENT_LIMITS.maxDepth} levels deep; flatten the conditions or expressions` });
        deep = true;
        continue;
      }
      bytes += 2;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: f.depth + 1, parent: f, key: i });
      } else {
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i]!;
          bytes += k.length + 4;
          if (FORBIDDEN_KEYS.has(k)) {
            if (!forbidden) errors.push({ path: at({ value: null, depth: 0, parent: f, key: k }), message: `the key "${k}" is not allowed` });
            forbidden = true;
            continue;
          }
          stack.push({ value: (v as Record<string, unknown>)[k], depth: f.depth + 1, parent: f, key: k });
        }
      }
    }
    if (bytes > DOCUMENT_LIMITS.maxBytes) {
      errors.push({ path: at(null), message: `the document is larger than ${DOCUMENT_LIMITS.maxBytes / 1024} KB as JSON; refused` });
      break;
    }
  }
  return errors;
}
