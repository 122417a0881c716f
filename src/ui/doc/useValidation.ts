import { useEffect, useRef, useState } from 'react';
import type { Draft } from './draft.ts';
import { validate, type Validation } from './validation.ts';

/** A validation slower than this (ms) is moved off the keystroke: it runs once typing pauses. */
export const SLOW_VALIDATION_MS = 30;
/** Pause after the last edit before a slow document is validated again. */
export const SETTLE_MS = 250;

/** Below this many JSON nodes a document is always validated on the keystroke, however long that took. */
export const LARGE_DOCUMENT_NODES = 5_000;

/**
 * Whether a draft has more than `limit` JSON nodes (objects, arrays and values), counted with an explicit
 * stack that stops at the limit: cheap even for a hostile draft that has not been validated yet.
 */
export function isLargeDocument(doc: unknown, limit = LARGE_DOCUMENT_NODES): boolean {
  const stack: unknown[] = [doc];
  let n = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++n > limit) return true;
    if (typeof v === 'object' && v !== null) for (const c of Object.values(v)) stack.push(c);
  }
  return false;
}

/**
 * Validates the draft on every change while that is cheap (every template and hand-written document).
 * Once a validation of a large document (thousands of conditions) took longer than SLOW_VALIDATION_MS,
 * edits show at once and the previous validation stays up until typing pauses for SETTLE_MS: a keystroke
 * never waits for zod. Small documents never defer, whatever one validation cost on a busy machine: a
 * deferred verdict means Run can start the previous version of the document, which only a document too
 * large to validate per keystroke should risk.
 */
export function useValidation(doc: Draft | null): Validation | null {
  const cost = useRef(0);
  const [state, setState] = useState<{ doc: Draft | null; v: Validation | null }>(() => ({ doc, v: run(doc, cost) }));
  const slow = cost.current > SLOW_VALIDATION_MS && isLargeDocument(doc);
  useEffect(() => {
    if (!slow || state.doc === doc) return;
    const t = setTimeout(() => setState({ doc, v: run(doc, cost) }), SETTLE_MS);
    return () => clearTimeout(t);
  }, [doc, slow, state.doc]);
  if (state.doc !== doc && !slow) {
    // Fast documents validate during render, as before: the page never shows a stale verdict.
    const v = run(doc, cost);
    setState({ doc, v });
    return v;
  }
  return state.v;
}

function run(doc: Draft | null, cost: { current: number }): Validation | null {
  if (!doc) return null;
  const t0 = performance.now();
  const v = validate(doc);
  cost.current = performance.now() - t0;
  return v;
}
