import { proxiedBase, proxyAuthHeaders } from '../lib/proxy-url.ts';
import type { BarColumns, StrategyDocument } from '../schema/index.ts';
import { AlpacaBroker, ALPACA_DATA_URL, ALPACA_LIVE_URL, ALPACA_PAPER_URL } from './alpaca.ts';
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
}

export function alpacaBroker(c: AlpacaConnection): AlpacaBroker {
  const name = c.paper ? 'alpaca-paper' : 'alpaca-live';
  const tradingUrl = c.tradingUrl ?? (c.proxyUrl ? proxiedBase(c.proxyUrl, name) : c.paper ? ALPACA_PAPER_URL : ALPACA_LIVE_URL);
  const dataUrl = c.dataUrl ?? (c.proxyUrl ? proxiedBase(c.proxyUrl, 'alpaca-data') : ALPACA_DATA_URL);
  return new AlpacaBroker({ name, tradingUrl, dataUrl, keyId: c.keyId, secretKey: c.secretKey, headers: c.proxyUrl ? proxyAuthHeaders(c.proxyToken) : {} });
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
