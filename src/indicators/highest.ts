/**
 * Highest value in the window (Tulip `max`, technicalindicators `Highest`); monotonic deque in extreme.ts.
 * Ready after N observations (bar window) or once the first observation is ≥ D old (duration window).
 */
import type { WindowSpec } from './types.ts';
import { Extreme } from './extreme.ts';

export class Highest extends Extreme {
  constructor(window: WindowSpec) {
    super(window, 1, 'Highest');
  }
}
