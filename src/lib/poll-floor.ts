/**
 * The shortest poll interval each broker's REST rate limit allows (issue #14): a live tick polls the broker
 * (clock, bars, account, positions, and one lookup per open order, at most one per symbol by the open-order
 * guard), so polling too often gets the account throttled (429) or, at some brokers, its API key suspended.
 * Shared by the adapters (src/live), the Node runner and the Live page, which shows the reason.
 *
 * The floor keeps a tick's calls within HEADROOM of each limit, the rest left for order sends, cancels, the
 * calendar, retries after a failure, and the user's other tools on the same key. Streams (Alpaca) do not lower
 * it: a stream can drop at any moment and REST then carries every call.
 */

/** One rate-limited family of endpoints and what one tick spends of it. */
export interface RateBucket {
  /** What the broker calls the family. */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Calls one tick makes: `fixed + perSymbol × symbols`. */
  fixed: number;
  perSymbol: number;
  /** Which calls those are (for the reason shown). */
  calls: string;
}

export interface RateLimits {
  /** The broker as people know it. */
  label: string;
  buckets: readonly RateBucket[];
  /** Where the limits are published (none of them is checked against the live service here). */
  source: string;
}

/** The share of each limit a tick may use. */
export const HEADROOM = 0.8;

const MIN = 60_000;

const ALPACA: RateLimits = {
  label: 'Alpaca',
  source: 'docs.alpaca.markets: 200 requests a minute per account (trading API) and 200 a minute on the free market-data plan',
  buckets: [
    { name: 'trading API', limit: 200, windowMs: MIN, fixed: 3, perSymbol: 1, calls: 'clock, account, positions, one order lookup per symbol' },
    { name: 'market data', limit: 200, windowMs: MIN, fixed: 1, perSymbol: 0, calls: 'bars of every symbol in one request' },
  ],
};

const tradier = (sandbox: boolean): RateLimits => {
  const standard = sandbox ? 60 : 120, data = sandbox ? 60 : 120;
  return {
    label: sandbox ? 'Tradier sandbox' : 'Tradier',
    source: `documentation.tradier.com, rate limiting: ${sandbox ? 'sandbox 60 requests a minute per family' : 'standard (account) and market-data endpoints 120 requests a minute each'}`,
    buckets: [
      { name: 'standard (account) endpoints', limit: standard, windowMs: MIN, fixed: 2, perSymbol: 1, calls: 'balances, positions, one order list per symbol with an open order' },
      { name: 'market-data endpoints', limit: data, windowMs: MIN, fixed: 1, perSymbol: 1, calls: 'clock, bars of each symbol' },
    ],
  };
};

const tradestation = (sim: boolean): RateLimits => ({
  label: sim ? 'TradeStation simulator' : 'TradeStation',
  source: 'api.tradestation.com, rate limiting: 250 requests per 5 minutes each for balances, positions and order details; bar charts taken at the 500 per 5 minutes of bar-chart streams (no REST quota is published)',
  buckets: [
    { name: 'balances', limit: 250, windowMs: 5 * MIN, fixed: 1, perSymbol: 0, calls: 'balances' },
    { name: 'positions', limit: 250, windowMs: 5 * MIN, fixed: 1, perSymbol: 0, calls: 'positions' },
    { name: 'order details', limit: 250, windowMs: 5 * MIN, fixed: 0, perSymbol: 1, calls: 'one order lookup per symbol' },
    { name: 'bar charts', limit: 500, windowMs: 5 * MIN, fixed: 0, perSymbol: 1, calls: 'bars of each symbol' },
  ],
});

/** Limits by the adapter's name (Broker.name); the simulated broker has none. */
export const RATE_LIMITS: Readonly<Record<string, RateLimits>> = {
  'alpaca-paper': ALPACA,
  'alpaca-live': ALPACA,
  'tradier-sandbox': tradier(true),
  'tradier-live': tradier(false),
  'tradestation-sim': tradestation(true),
  'tradestation-live': tradestation(false),
};

export interface PollFloor {
  /** The shortest interval, whole seconds, in ms (0: no limit). */
  ms: number;
  /** Why, in words: the limit that binds and what a tick spends of it. */
  reason: string;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const per = (ms: number) => (ms === MIN ? 'a minute' : `per ${ms / MIN} minutes`);

/** The shortest poll interval for `symbols` symbols on a broker with these limits. */
export function pollFloor(limits: RateLimits | null | undefined, symbols: number): PollFloor {
  if (!limits) return { ms: 0, reason: 'no rate limit (simulated broker)' };
  const n = Math.max(1, Math.floor(symbols));
  let best: { ms: number; b: RateBucket; calls: number } | null = null;
  for (const b of limits.buckets) {
    const calls = b.fixed + b.perSymbol * n;
    const ms = Math.ceil((calls * b.windowMs) / (b.limit * HEADROOM));
    if (calls > 0 && (!best || ms > best.ms)) best = { ms, b, calls };
  }
  if (!best) return { ms: 0, reason: `${limits.label}: no rate-limited call per tick` };
  const ms = Math.ceil(best.ms / 1000) * 1000;
  return {
    ms,
    reason: `${limits.label} allows ${best.b.limit} ${best.b.name} requests ${per(best.b.windowMs)}; a tick with ${plural(n, 'symbol')} makes up to ${best.calls} (${best.b.calls}), so polling every ${ms / 1000} s or slower keeps within ${Math.round(HEADROOM * 100)} % of it (${limits.source})`,
  };
}

export interface PollChoice extends PollFloor {
  /** True when the request was below the floor and was raised to it. */
  clamped: boolean;
}

/** The interval to poll at: the requested one, raised to the broker's floor when below it. */
export function clampPoll(requestedMs: number, limits: RateLimits | null | undefined, symbols: number): PollChoice {
  const f = pollFloor(limits, symbols);
  return requestedMs >= f.ms ? { ...f, ms: requestedMs, clamped: false } : { ...f, clamped: true };
}
