type IdleCallback = (f: () => void, o?: { timeout: number }) => unknown;

/**
 * Runs `f` when the page is idle (requestIdleCallback; at the latest after `timeoutMs` when given), or after
 * `fallbackMs` where the browser has no idle callback (Safari).
 */
export function whenIdle(f: () => void, fallbackMs: number, timeoutMs?: number): void {
  const ric = (globalThis as { requestIdleCallback?: IdleCallback }).requestIdleCallback;
  if (ric) ric(f, timeoutMs === undefined ? undefined : { timeout: timeoutMs });
  else setTimeout(f, fallbackMs);
}
