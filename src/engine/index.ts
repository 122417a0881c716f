export { runBacktest, explain, rangeOf, CancelledError, CANCEL_CHECK_STEPS, type RunOptions } from './backtest.ts';
export { runReplay, ReplayProcessor } from './replay.ts';
export { Kernel, type Explanation, type KernelOptions } from './kernel.ts';
export { RunError, type MarketData } from './market.ts';
export { computeStats, type StatsInput } from './stats.ts';
export { SimulatedVenue, type Venue, type StepView } from './venue.ts';
export { ENGINE_VERSION } from './version.ts';
export { IndicatorCache } from './indicator-cache.ts';
export { dayKeyOf } from './result.ts';
