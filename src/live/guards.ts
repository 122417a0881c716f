/** Risk guards of one deployment; a missing limit is no limit. Each refusal is audited with its reason. */
export interface RiskGuards {
  /** Largest order, in account currency, valued at the signal bar's close. */
  maxOrderNotional?: number;
  /** Orders sent per exchange-local day (refusals do not count). */
  maxOrdersPerDay?: number;
  /** Once equity is this much below the day's first equity, only orders that reduce a position are sent. */
  maxDailyLoss?: number;
}

export interface GuardInput {
  notional: number;
  ordersToday: number;
  dayStartEquity: number;
  equity: number;
  /** The order only reduces an existing position. */
  reducing: boolean;
}

/** The reason the guards refuse an order, or null. */
export function guardRefusal(g: RiskGuards, x: GuardInput): string | null {
  if (g.maxOrderNotional !== undefined && x.notional > g.maxOrderNotional) {
    return `risk guard: order notional ${x.notional.toFixed(2)} exceeds the maximum ${g.maxOrderNotional}`;
  }
  if (g.maxOrdersPerDay !== undefined && x.ordersToday >= g.maxOrdersPerDay) {
    return `risk guard: ${x.ordersToday} orders today, the maximum is ${g.maxOrdersPerDay}`;
  }
  if (g.maxDailyLoss !== undefined && !x.reducing && x.dayStartEquity - x.equity >= g.maxDailyLoss) {
    return `risk guard: daily loss ${(x.dayStartEquity - x.equity).toFixed(2)} reached the maximum ${g.maxDailyLoss}; only reducing orders are sent`;
  }
  return null;
}
