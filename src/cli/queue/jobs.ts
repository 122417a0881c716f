/**
 * The queue's vocabulary: queue names, Redis keys, and the payload of one evaluation job with the check a
 * worker runs before it trusts one. A job that fails the check is poison: it fails alone, with the reason,
 * and is never retried (the same bytes would fail again).
 */
export const EVAL_QUEUE = 'bt-eval';
/** One parent job per evaluator call (a grid chunk, the random sample, one genetic generation). */
export const BATCH_QUEUE = 'bt-batch';
export const PAYLOAD_VERSION = 1;

export const dataKey = (fingerprint: string) => `bt:data:${fingerprint}`;
export const cancelKey = (searchId: string) => `bt:cancel:${searchId}`;

/** The bars a job runs on: a stored data set, whole or cut to [from, to] (a walk-forward window). */
export interface ScopeRef {
  data: string;
  slice: { from: number; to: number } | null;
}

export interface EvalJob {
  v: number;
  searchId: string;
  engineVersion: string;
  scope: ScopeRef;
  /** The scope's document, as JSON (validated again by the worker). */
  doc: unknown;
  candidates: Record<string, number>[];
  /** candidateHash of each candidate, same order. */
  hashes: string[];
}

/** A job's answer: encodeExact({hash: Stats}), or the search was cancelled before it ran. */
export interface EvalReturn {
  results?: string;
  cancelled?: true;
  worker: string;
}

const isHash = (s: unknown) => typeof s === 'string' && /^[0-9a-f]{16}$/.test(s);

/** Why a payload cannot be run, or null when it can. Every message names the field. */
export function payloadProblem(data: unknown): string | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'job data is not an object';
  const j = data as Partial<EvalJob>;
  if (j.v !== PAYLOAD_VERSION) return `payload version ${String(j.v)}, this worker reads ${PAYLOAD_VERSION}`;
  if (typeof j.searchId !== 'string' || !/^[\w-]{1,64}$/.test(j.searchId)) return 'searchId: expected 1–64 word characters';
  if (typeof j.engineVersion !== 'string') return 'engineVersion: expected a string';
  const s = j.scope;
  if (!s || typeof s !== 'object' || !isHash(s.data)) return 'scope.data: expected a 16-hex-digit data fingerprint';
  if (s.slice !== null && (typeof s.slice !== 'object' || typeof s.slice.from !== 'number' || typeof s.slice.to !== 'number' || !(s.slice.from <= s.slice.to))) {
    return 'scope.slice: expected null or {from, to} with from ≤ to';
  }
  if (!Array.isArray(j.candidates) || j.candidates.length === 0 || j.candidates.length > 10_000) return 'candidates: expected 1–10,000 parameter sets';
  for (let i = 0; i < j.candidates.length; i++) {
    const c = j.candidates[i];
    if (!c || typeof c !== 'object' || Array.isArray(c)) return `candidates[${i}]: expected an object of numbers`;
    for (const [k, v] of Object.entries(c)) if (typeof v !== 'number' || !Number.isFinite(v)) return `candidates[${i}].${k}: expected a finite number`;
  }
  if (!Array.isArray(j.hashes) || j.hashes.length !== j.candidates.length || !j.hashes.every(isHash)) return 'hashes: expected one 16-hex-digit hash per candidate';
  return null;
}
