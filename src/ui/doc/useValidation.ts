import { useEffect, useRef, useState } from 'react';
import type { Draft } from './draft.ts';
import { validate, type Validation } from './validation.ts';

/** A validation slower than this (ms) is moved off the keystroke: it runs once typing pauses. */
export const SLOW_VALIDATION_MS = 30;
/** Pause after the last edit before a slow document is validated again. */
export const SETTLE_MS = 250;

/**
 * Validates the draft on every change while that is cheap (every template and hand-written document).
 * Once a validation took longer than SLOW_VALIDATION_MS (thousands of conditions), edits show at once and
 * the previous validation stays up until typing pauses for SETTLE_MS: a keystroke never waits for zod.
 */
export function useValidation(doc: Draft | null): Validation | null {
  const cost = useRef(0);
  const [state, setState] = useState<{ doc: Draft | null; v: Validation | null }>(() => ({ doc, v: run(doc, cost) }));
  const slow = cost.current > SLOW_VALIDATION_MS;
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
