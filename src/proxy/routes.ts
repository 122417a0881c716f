import type { ProxyRoute } from '../schema/index.ts';

/**
 * How the proxy authenticates a route's upstream in vault mode: fixed headers filled from secrets
 * (environment variables or Workers secrets), or TradeStation's OAuth refresh flow.
 */
export type VaultSpec =
  | { kind: 'headers'; headers: Record<string, { env: string; prefix?: string }> }
  | { kind: 'tradestation' };

export interface RouteSpec {
  /** Upstream origin (and optional base path) for HTTP. */
  upstream: string;
  /** Upstream for WebSocket streams, when it differs from `upstream` with a ws scheme. */
  wsUpstream?: string;
  /** `METHOD /path` patterns (see target.ts); nothing else is relayed. */
  allow: readonly string[];
  /** Request headers relayed from the caller in relay mode (lower case); all others are dropped. */
  relayHeaders: readonly string[];
  vault: VaultSpec;
  /** Alpaca's streams authenticate with a first message; in vault mode the proxy fills in the keys. */
  wsAuth?: 'alpaca';
  /**
   * What a WebSocket upgrade may carry upstream besides its path: the sub-protocols a client may offer and
   * the query parameter names it may send. Absent means none: an upgrade offering anything else is refused
   * (the proxy token's `access_token` is the proxy's own and never goes upstream).
   */
  ws?: { protocols?: readonly string[]; query?: readonly string[] };
  /** TradeStation's sign-in server, for the OAuth code exchange and refresh. */
  authUpstream?: string;
  /**
   * The query parameter names each HTTP pattern of `allow` may carry, keyed by the pattern's text. A pattern
   * without an entry takes no query: anything else is refused, as paths are (the proxy relays only what a
   * client of the upstream's documented API sends).
   */
  query?: Readonly<Record<string, readonly string[]>>;
}

const ALPACA_HEADERS = ['apca-api-key-id', 'apca-api-secret-key'];
/** Alpaca Trading API v2 query parameters (the documented ones the adapter and a kill switch use). */
const ALPACA_TRADING_QUERY: Record<string, readonly string[]> = {
  'GET /v2/calendar': ['start', 'end', 'date_type'],
  'GET /v2/orders': ['status', 'limit', 'after', 'until', 'direction', 'nested', 'symbols', 'side'],
  'GET /v2/orders/{id}': ['nested'],
  'GET /v2/orders:by_client_order_id': ['client_order_id', 'nested'],
  'DELETE /v2/positions': ['cancel_orders'],
  'DELETE /v2/positions/{symbol}': ['qty', 'percentage'],
};

const STOCK_BARS = ['timeframe', 'start', 'end', 'limit', 'adjustment', 'feed', 'page_token', 'asof', 'sort', 'currency'];

const alpacaVault = (id: string, secret: string): VaultSpec => ({
  kind: 'headers',
  headers: { 'apca-api-key-id': { env: id }, 'apca-api-secret-key': { env: secret } },
});

/** Alpaca Trading API v2: what live trading uses, plus cancel-all and close-all for the kill switch. */
const ALPACA_TRADING = [
  'GET /v2/account', 'GET /v2/clock', 'GET /v2/calendar', 'GET /v2/assets/{symbol}',
  'GET /v2/positions', 'GET /v2/positions/{symbol}', 'DELETE /v2/positions', 'DELETE /v2/positions/{symbol}',
  'GET /v2/orders', 'POST /v2/orders', 'DELETE /v2/orders', 'GET /v2/orders/{id}', 'DELETE /v2/orders/{id}',
  'GET /v2/orders:by_client_order_id',
  'WS /stream',
];

/** Tradier brokerage API v1 (an account id is a path segment). */
const TRADIER_QUERY: Record<string, readonly string[]> = {
  'GET /v1/accounts/{account}/orders': ['includeTags', 'page', 'limit'],
  'GET /v1/accounts/{account}/orders/{id}': ['includeTags'],
  'GET /v1/markets/calendar': ['month', 'year'],
  'GET /v1/markets/history': ['symbol', 'interval', 'start', 'end', 'session_filter'],
  'GET /v1/markets/timesales': ['symbol', 'interval', 'start', 'end', 'session_filter'],
  'GET /v1/markets/quotes': ['symbols', 'greeks'],
};

const TRADIER = [
  'GET /v1/user/profile', 'GET /v1/accounts/{account}/balances', 'GET /v1/accounts/{account}/positions',
  'GET /v1/accounts/{account}/orders', 'POST /v1/accounts/{account}/orders', 'GET /v1/accounts/{account}/orders/{id}',
  'DELETE /v1/accounts/{account}/orders/{id}', 'GET /v1/markets/clock', 'GET /v1/markets/calendar',
  'GET /v1/markets/history', 'GET /v1/markets/timesales', 'GET /v1/markets/quotes',
];

/** TradeStation API v3, and the proxy's own OAuth endpoints (handled in oauth.ts, never relayed as is). */
const TRADESTATION = [
  'GET /v3/brokerage/accounts', 'GET /v3/brokerage/accounts/{accounts}/balances',
  'GET /v3/brokerage/accounts/{accounts}/positions', 'GET /v3/brokerage/accounts/{accounts}/orders',
  'GET /v3/brokerage/accounts/{accounts}/orders/{ids}', 'GET /v3/brokerage/accounts/{accounts}/historicalorders',
  'GET /v3/brokerage/accounts/{accounts}/historicalorders/{ids}', 'POST /v3/orderexecution/orders',
  'DELETE /v3/orderexecution/orders/{id}', 'GET /v3/marketdata/barcharts/{symbol}',
  'GET /oauth/authorize', 'POST /oauth/token',
];

const TRADESTATION_QUERY: Record<string, readonly string[]> = {
  'GET /v3/brokerage/accounts/{accounts}/orders': ['pageSize', 'nextToken'],
  'GET /v3/brokerage/accounts/{accounts}/historicalorders': ['since', 'pageSize', 'nextToken'],
  'GET /v3/brokerage/accounts/{accounts}/historicalorders/{ids}': ['since'],
  'GET /v3/marketdata/barcharts/{symbol}': ['interval', 'unit', 'barsback', 'firstdate', 'lastdate', 'sessiontemplate'],
  'GET /oauth/authorize': ['redirect_uri', 'scope', 'state'],
};

/** The simulator and the real API share one sign-in server and one OAuth client. */
const tradestation = (upstream: string): RouteSpec => ({
  upstream, allow: TRADESTATION, query: TRADESTATION_QUERY, relayHeaders: ['authorization'], vault: { kind: 'tradestation' },
  authUpstream: 'https://signin.tradestation.com',
});

export const BUILTIN_ROUTES: Record<ProxyRoute, RouteSpec> = {
  'alpaca-paper': {
    upstream: 'https://paper-api.alpaca.markets', allow: ALPACA_TRADING, query: ALPACA_TRADING_QUERY, relayHeaders: ALPACA_HEADERS,
    vault: alpacaVault('APCA_API_KEY_ID', 'APCA_API_SECRET_KEY'), wsAuth: 'alpaca',
  },
  'alpaca-live': {
    upstream: 'https://api.alpaca.markets', allow: ALPACA_TRADING, query: ALPACA_TRADING_QUERY, relayHeaders: ALPACA_HEADERS,
    vault: alpacaVault('APCA_LIVE_API_KEY_ID', 'APCA_LIVE_API_SECRET_KEY'), wsAuth: 'alpaca',
  },
  'alpaca-data': {
    upstream: 'https://data.alpaca.markets',
    wsUpstream: 'wss://stream.data.alpaca.markets',
    allow: [
      'GET /v2/stocks/bars', 'GET /v2/stocks/{symbol}/bars', 'GET /v2/stocks/bars/latest', 'GET /v2/stocks/{symbol}/bars/latest',
      'GET /v1beta3/crypto/us/bars', 'GET /v1beta3/crypto/us/latest/bars',
      // The stock feeds by name (`test` is Alpaca's always-on test stream), not any segment.
      'WS /v2/iex', 'WS /v2/sip', 'WS /v2/delayed_sip', 'WS /v2/test', 'WS /v1beta3/crypto/us',
    ],
    query: {
      'GET /v2/stocks/bars': ['symbols', ...STOCK_BARS],
      'GET /v2/stocks/{symbol}/bars': STOCK_BARS,
      'GET /v2/stocks/bars/latest': ['symbols', 'feed', 'currency'],
      'GET /v2/stocks/{symbol}/bars/latest': ['feed', 'currency'],
      'GET /v1beta3/crypto/us/bars': ['symbols', 'timeframe', 'start', 'end', 'limit', 'page_token', 'sort'],
      'GET /v1beta3/crypto/us/latest/bars': ['symbols'],
    },
    relayHeaders: ALPACA_HEADERS,
    vault: alpacaVault('APCA_API_KEY_ID', 'APCA_API_SECRET_KEY'),
    wsAuth: 'alpaca',
  },
  tradier: {
    upstream: 'https://api.tradier.com', allow: TRADIER, query: TRADIER_QUERY, relayHeaders: ['authorization'],
    vault: { kind: 'headers', headers: { authorization: { env: 'TRADIER_TOKEN', prefix: 'Bearer ' } } },
  },
  'tradier-sandbox': {
    upstream: 'https://sandbox.tradier.com', allow: TRADIER, query: TRADIER_QUERY, relayHeaders: ['authorization'],
    vault: { kind: 'headers', headers: { authorization: { env: 'TRADIER_SANDBOX_TOKEN', prefix: 'Bearer ' } } },
  },
  tradestation: tradestation('https://api.tradestation.com'),
  'tradestation-sim': tradestation('https://sim-api.tradestation.com'),
  openai: {
    upstream: 'https://api.openai.com',
    allow: ['POST /v1/chat/completions', 'POST /v1/responses', 'GET /v1/models'],
    relayHeaders: ['authorization', 'openai-organization', 'openai-project'],
    vault: { kind: 'headers', headers: { authorization: { env: 'OPENAI_API_KEY', prefix: 'Bearer ' } } },
  },
  anthropic: {
    upstream: 'https://api.anthropic.com',
    allow: ['POST /v1/messages'],
    relayHeaders: ['x-api-key', 'anthropic-version', 'anthropic-beta'],
    vault: { kind: 'headers', headers: { 'x-api-key': { env: 'ANTHROPIC_API_KEY' } } },
  },
  gemini: {
    upstream: 'https://generativelanguage.googleapis.com',
    allow: ['POST /v1beta/models/{model}:generateContent', 'POST /v1beta/models/{model}:streamGenerateContent', 'GET /v1beta/models'],
    // `alt=sse` selects the event stream; never `key`: the key travels in a header, not in a URL that gets logged.
    query: { 'POST /v1beta/models/{model}:streamGenerateContent': ['alt'], 'GET /v1beta/models': ['pageSize', 'pageToken'] },
    relayHeaders: ['x-goog-api-key'],
    vault: { kind: 'headers', headers: { 'x-goog-api-key': { env: 'GEMINI_API_KEY' } } },
  },
};

/** Headers relayed on every route: they describe the body, never the caller. */
export const COMMON_REQUEST_HEADERS = ['content-type', 'accept'];

/** Environment variables that hold TradeStation's OAuth client and, in vault mode, the owner's refresh token. */
export const TRADESTATION_ENV = {
  clientId: 'TRADESTATION_CLIENT_ID',
  clientSecret: 'TRADESTATION_CLIENT_SECRET',
  refreshToken: 'TRADESTATION_REFRESH_TOKEN',
} as const;
