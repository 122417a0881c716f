/**
 * Lowest value in the window (Tulip `min`, technicalindicators `Lowest`); monotonic deque in extreme.ts.
 * Ready after N observations (bar window) or once the first observation is ≥ D old (duration window).
 */
import type { WindowSpec } from './types.ts';
import { Extreme } from './extreme.ts';

export class Lowest extends Extreme {
  constructor(window: WindowSpec) {
    super(window, -1, 'Lowest');
  }
}
