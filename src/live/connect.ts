import { proxiedBase, proxiedWsBase, proxyAuthHeaders } from '../lib/proxy-url.ts';
import type { BarColumns, StrategyDocument } from '../schema/index.ts';
import { AlpacaBroker, ALPACA_DATA_URL, ALPACA_LIVE_URL, ALPACA_PAPER_URL } from './alpaca.ts';
import type { SocketFactory } from './alpaca-stream.ts';
import { StreamingAlpaca, type StreamingOptions } from './alpaca-streaming.ts';
import type { Broker } from './broker.ts';
import { TradeStationBroker, TRADESTATION_LIVE_URL, TRADESTATION_SIM_URL } from './tradestation.ts';
import { TradeStationTokens, TRADESTATION_TOKEN_URL } from './tradestation-auth.ts';
import { TradierBroker, TRADIER_LIVE_URL, TRADIER_SANDBOX_URL } from './tradier.ts';

/** How to reach an Alpaca account: keys, and the proxy (or explicit base URLs) in between. Shared by the CLI and the app's live worker. */
export interface AlpacaConnection {
  paper: boolean;
  keyId: string;
  secretKey: string;
  /** The broker proxy (src/proxy): routes alpaca-paper / alpaca-live / alpaca-data. */
  proxyUrl?: string;
  /** A vault-mode proxy's bearer token. */
  proxyToken?: string;
  /** Overrides of the base URLs (a self-hosted gateway, or a test's fake). */
  tradingUrl?: string;
  dataUrl?: string;
  /**
   * Whether the app's worker opens Alpaca's streams (order updates, minute bars) with the browser's WebSocket
   * (default true; REST polling when false or when a stream fails). A plain flag: a connection crosses to the worker.
   */
  useStreams?: boolean;
}

/** Alpaca's market-data streams live on their own host. */
export const ALPACA_DATA_STREAM_URL = 'wss://stream.data.alpaca.markets';

/**
 * Streams in front of REST (alpaca-streaming.ts): the socket to open them with (the browser's WebSocket, `ws`
 * in Node), the feed, and test knobs. Absent: REST polling only.
 */
export interface AlpacaStreamsSetting extends Partial<Pick<StreamingOptions, 'verifyMs' | 'barWaitMs' | 'backoffMs' | 'maxBackoffMs' | 'heartbeatMs'>> {
  socket: SocketFactory;
  feed?: 'iex' | 'sip';
}

export function alpacaBroker(c: AlpacaConnection & { streams?: AlpacaStreamsSetting }): Broker {
  const name = c.paper ? 'alpaca-paper' : 'alpaca-live';
  const tradingUrl = c.tradingUrl ?? (c.proxyUrl ? proxiedBase(c.proxyUrl, name) : c.paper ? ALPACA_PAPER_URL : ALPACA_LIVE_URL);
  const dataUrl = c.dataUrl ?? (c.proxyUrl ? proxiedBase(c.proxyUrl, 'alpaca-data') : ALPACA_DATA_URL);
  const rest = new AlpacaBroker({ name, tradingUrl, dataUrl, keyId: c.keyId, secretKey: c.secretKey, headers: c.proxyUrl ? proxyAuthHeaders(c.proxyToken) : {}, ...(c.streams?.feed ? { feed: c.streams.feed } : {}) });
  const s = c.streams;
  if (!s) return rest;
  // A browser cannot set headers on a WebSocket: a vault-mode proxy takes its token as ?access_token= (never relayed).
  const token = c.proxyUrl && c.proxyToken ? `?access_token=${encodeURIComponent(c.proxyToken)}` : '';
  const ws = (u: string) => u.replace(/^http/, 'ws');
  const tradingStream = c.tradingUrl ? ws(c.tradingUrl) : c.proxyUrl ? proxiedWsBase(c.proxyUrl, name) : ws(c.paper ? ALPACA_PAPER_URL : ALPACA_LIVE_URL);
  const dataStream = c.dataUrl ? ws(c.dataUrl) : c.proxyUrl ? proxiedWsBase(c.proxyUrl, 'alpaca-data') : ALPACA_DATA_STREAM_URL;
  const { socket, feed, ...knobs } = s;
  return new StreamingAlpaca(rest, {
    ...knobs, socket, keyId: c.keyId, secretKey: c.secretKey,
    tradingStreamUrl: `${tradingStream}/stream${token}`, dataStreamUrl: `${dataStream}/v2/${feed ?? 'iex'}${token}`,
  });
}

/** How to reach a Tradier account: its token and number, and the proxy (routes tradier / tradier-sandbox) or a base URL. */
export interface TradierConnection {
  sandbox: boolean;
  /** The account's token; with a vault-mode proxy the proxy holds it and this may be empty. */
  token: string;
  accountId: string;
  proxyUrl?: string;
  proxyToken?: string;
  url?: string;
}

export function tradierBroker(c: TradierConnection): TradierBroker {
  const name = c.sandbox ? 'tradier-sandbox' : 'tradier-live';
  const url = c.url ?? (c.proxyUrl ? proxiedBase(c.proxyUrl, c.sandbox ? 'tradier-sandbox' : 'tradier') : c.sandbox ? TRADIER_SANDBOX_URL : TRADIER_LIVE_URL);
  // A vault-mode proxy authenticates the client with its own token in Authorization and adds Tradier's.
  return new TradierBroker({ name, url, token: c.token, accountId: c.accountId, headers: c.proxyUrl ? proxyAuthHeaders(c.proxyToken) : {} });
}

/**
 * How to reach a TradeStation account. Three ways, by where the OAuth client secret lives:
 * - directly (Node only): the caller holds the client id, secret and refresh token and refreshes at TradeStation;
 * - through a relay-mode proxy: the caller holds the refresh token, the proxy adds its client id and secret to the
 *   refresh (`/<route>/oauth/token`), so the secret never reaches a page;
 * - through a vault-mode proxy (`proxyToken`): the proxy also holds the refresh token and adds access tokens itself.
 */
export interface TradeStationConnection {
  sim: boolean;
  accountId: string;
  /** The user's refresh token (not needed with a vault-mode proxy). */
  refreshToken?: string;
  /** The API key's client id and secret, only when calling TradeStation directly. */
  clientId?: string;
  clientSecret?: string;
  proxyUrl?: string;
  proxyToken?: string;
  /** Overrides of the API base URL and of the sign-in server (a test's fake). */
  url?: string;
  authUrl?: string;
  /** Told a refresh token TradeStation rotated. */
  onRefreshToken?: (token: string) => void;
}

export function tradestationBroker(c: TradeStationConnection): TradeStationBroker {
  const route = c.sim ? 'tradestation-sim' : 'tradestation';
  const url = c.url ?? (c.proxyUrl ? proxiedBase(c.proxyUrl, route) : c.sim ? TRADESTATION_SIM_URL : TRADESTATION_LIVE_URL);
  const vault = !!c.proxyUrl && !!c.proxyToken;
  let tokens: TradeStationTokens | null = null;
  if (!vault) {
    if (!c.refreshToken) throw new Error('TradeStation needs a refresh token (or a vault-mode proxy that holds one)');
    const direct = !c.proxyUrl;
    if (direct && !(c.clientId && c.clientSecret)) throw new Error('calling TradeStation directly needs the API key\'s client id and secret (or a proxy that holds them)');
    const tokenUrl = c.authUrl ? `${c.authUrl.replace(/\/$/, '')}/oauth/token` : direct ? TRADESTATION_TOKEN_URL : `${proxiedBase(c.proxyUrl!, route)}/oauth/token`;
    tokens = new TradeStationTokens({
      tokenUrl, refreshToken: c.refreshToken, ...(direct ? { clientId: c.clientId, clientSecret: c.clientSecret } : {}),
      ...(c.onRefreshToken ? { onRefreshToken: c.onRefreshToken } : {}),
    });
  }
  return new TradeStationBroker({ name: c.sim ? 'tradestation-sim' : 'tradestation-live', url, accountId: c.accountId, tokens, headers: vault ? proxyAuthHeaders(c.proxyToken) : {} });
}

/**
 * Practice on the embedded data: a one-symbol document whose symbol is not embedded (the templates trade SPY)
 * practises on the S&P 500 index bars under its own symbol, and says so in `note`.
 */
export function embeddedFor(doc: StrategyDocument, bars: BarColumns[]): { bars: BarColumns[]; note: string | null } {
  const u = doc.settings.universe;
  if (u.length !== 1 || bars.some((b) => b.symbol === u[0])) return { bars, note: null };
  return { bars: [{ ...bars[0]!, symbol: u[0]! }], note: `${u[0]} is not in the embedded data; practising on the S&P 500 index (${bars[0]!.symbol}) bars as ${u[0]}` };
}
