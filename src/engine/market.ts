import type { BarColumns, StepSeries } from '../schema/index.ts';

/** What a run reads: bar columns per symbol (any superset of the plan's assets) and step series. */
export interface MarketData {
  readonly bars: readonly BarColumns[];
  readonly series?: readonly StepSeries[];
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
