/**
 * The clock seam: the engine never reads time itself. Backtests use the bar time; live trading uses
 * the wall clock; tests use a manual clock they advance.
 */
export interface Clock {
  now(): number;
}

export const wallClock: Clock = { now: () => Date.now() };

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
