/**
 * The timer seam beside the clock's (clock.ts): code that waits takes a `Schedule`, so tests run the wait
 * themselves; the runtime entries (workers, CLI) pass `timer`.
 */
export type Schedule = (fn: () => void, ms: number) => () => void;

/** setTimeout, returning its cancel; unref'd where it can be, so a pending one keeps no Node process alive. */
export const timer: Schedule = (fn, ms) => {
  const t = setTimeout(fn, ms);
  (t as { unref?: () => void }).unref?.();
  return () => clearTimeout(t);
};
