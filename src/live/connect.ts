import { proxiedBase, proxiedWsBase, proxyAuthHeaders } from '../lib/proxy-url.ts';
import type { BarColumns, StrategyDocument } from '../schema/index.ts';
import { AlpacaBroker, ALPACA_DATA_URL, ALPACA_LIVE_URL, ALPACA_PAPER_URL } from './alpaca.ts';
import type { SocketFactory } from './alpaca-stream.ts';
import { StreamingAlpaca, type StreamingOptions } from './alpaca-streaming.ts';
import type { Broker } from './broker.ts';
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
export interface AlpacaStreamsSetting extends Partial<Pick<StreamingOptions, 'verifyMs' | 'barWaitMs' | 'backoffMs' | 'maxBackoffMs'>> {
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
 * Practice on the embedded data: a one-symbol document whose symbol is not embedded (the templates trade SPY)
 * practises on the S&P 500 index bars under its own symbol, and says so in `note`.
 */
export function embeddedFor(doc: StrategyDocument, bars: BarColumns[]): { bars: BarColumns[]; note: string | null } {
  const u = doc.settings.universe;
  if (u.length !== 1 || bars.some((b) => b.symbol === u[0])) return { bars, note: null };
  return { bars: [{ ...bars[0]!, symbol: u[0]! }], note: `${u[0]} is not in the embedded data; practising on the S&P 500 index (${bars[0]!.symbol}) bars as ${u[0]}` };
}
