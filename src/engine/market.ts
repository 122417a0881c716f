import type { BarColumns, CorporateAction, StepSeries } from '../schema/index.ts';

/** What a run reads: bar columns per symbol (any superset of the plan's assets) and step series. */
export interface MarketData {
  readonly bars: readonly BarColumns[];
  readonly series?: readonly StepSeries[];
  /**
   * Finer bars of the same symbols (e.g. 1m under a 1d run) for settings.intrabar "finerData": the bar
   * magnifier looks inside a bar to see which of its exits' levels traded first. Only the finer bars inside
   * the bar being filled are read, never later ones.
   */
  readonly finer?: readonly BarColumns[];
  /**
   * Splits and cash dividends of any symbols (corporate.ts): applied per settings.prices — back-adjusting
   * the bars ("adjusted") or as events on the ex-dates ("raw").
   */
  readonly actions?: readonly CorporateAction[];
}

export class RunError extends Error {
  override name = 'RunError';
}

export function barsFor(data: MarketData, assets: readonly string[]): BarColumns[] {
  return assets.map((symbol) => {
    const cols = data.bars.find((b) => b.symbol === symbol);
    if (!cols) throw new RunError(`no data for symbol "${symbol}"; loaded: ${data.bars.map((b) => b.symbol).join(', ') || 'none'}`);
    return cols;
  });
}
