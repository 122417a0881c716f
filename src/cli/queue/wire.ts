/**
 * What crosses Redis between the optimize client and the workers. JSON would turn NaN, ±Infinity and −0
 * into null or 0, and a statistic that is NaN ("not available") must come back NaN for the ranking to be the
 * one the local run makes; so numbers that JSON cannot carry are tagged, and everything else is plain JSON
 * (a double survives JSON exactly: JavaScript prints the shortest string that reads back to the same bits).
 */
import { fnv1a64 } from '../../lib/fingerprint.ts';

const TAG = '$num';

function replacer(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return { [TAG]: 'NaN' };
  if (v === Infinity) return { [TAG]: 'Infinity' };
  if (v === -Infinity) return { [TAG]: '-Infinity' };
  if (Object.is(v, -0)) return { [TAG]: '-0' };
  return v;
}

const SPECIAL: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };

function reviver(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === TAG) {
      const s = (v as Record<string, unknown>)[TAG];
      if (typeof s === 'string' && s in SPECIAL) return SPECIAL[s];
    }
  }
  return v;
}

/** JSON that keeps NaN, ±Infinity and −0. */
export function encodeExact(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decodeExact<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/** Parameter values in a canonical order, so the same candidate always prints (and hashes) the same. */
export function canonicalParams(params: Readonly<Record<string, number>>): string {
  return encodeExact(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/**
 * A candidate's identity within a search: the scope it runs on and its parameter values. Results are keyed
 * by it, so a chunk that runs twice (a stalled job retried after its worker died) still counts once.
 */
export function candidateHash(scopeKey: string, params: Readonly<Record<string, number>>): string {
  return fnv1a64(new TextEncoder().encode(`${scopeKey}\u0000${canonicalParams(params)}`));
}
