import { runBacktest } from '../../src/engine/index.ts';
import type { BarColumns, StrategyDocument } from '../../src/schema/index.ts';

/** Whether a random document trades at all on random bars (a backtest with signal sizing has a bar in range). */
export function tradable(doc: StrategyDocument, cols: BarColumns[]): boolean {
  try {
    runBacktest(doc, { bars: cols }, { sizing: 'signal' });
    return true;
  } catch (e) {
    if ((e as Error).name === 'RunError') return false;
    throw e;
  }
}
