export { runBacktest, explain, explainAt, Explainer, explainWalks, rangeOf, CancelledError, CANCEL_CHECK_STEPS, type RunOptions } from './backtest.ts';
export { runReplay, ReplayProcessor } from './replay.ts';
export { Kernel, type Explanation, type KernelOptions } from './kernel.ts';
export { RunError, barsFor, type MarketData } from './market.ts';
export { sessionEnds } from './session.ts';
export { backAdjust, priceMode, runData, exStart, type PriceMode } from './corporate.ts';
export { computeStats, type StatsInput } from './stats.ts';
export { SimulatedVenue, type Venue, type StepView } from './venue.ts';
export { ENGINE_VERSION } from './version.ts';
export { IndicatorCache } from './indicator-cache.ts';
export { dayKeyOf } from './result.ts';
export { SignalSizer } from './sizing.ts';
export type { Order } from './orders.ts';
export { Portfolio } from './portfolio.ts';
export { SimulatedFills } from './execution.ts';
export { reject } from './orders.ts';
export { buildResult } from './result.ts';
/** Processors outside the engine (src/live) compile documents through the engine's entry point. */
export { compile } from '../strategy/index.ts';
