/**
 * The clock seam: the engine never reads time itself. Backtests use the bar time; live trading uses
 * the wall clock; tests use a manual clock they advance.
 */
export interface Clock {
  now(): number;
}

export const wallClock: Clock = { now: () => Date.now() };

/**
 * Milliseconds that only go forward (performance.now), for intervals such as progress throttling: the wall
 * clock can be stepped (NTP, a VM's clock sync), and a step back of an hour would hold progress for an hour.
 */
export const monotonicClock: Clock = { now: () => performance.now() };

export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
