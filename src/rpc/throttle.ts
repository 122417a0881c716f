import type { Clock } from '../lib/clock.ts';

/**
 * Drops calls that come sooner than `intervalMs` after the last one let through: progress events at most
 * 1000/intervalMs per second, timed by the injected clock (never the wall clock directly).
 */
export function throttle<A extends unknown[]>(clock: Clock, intervalMs: number, fn: (...args: A) => void): (...args: A) => void {
  let last = -Infinity;
  return (...args) => {
    const now = clock.now();
    if (now - last < intervalMs) return;
    last = now;
    fn(...args);
  };
}
