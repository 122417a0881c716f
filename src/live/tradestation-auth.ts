import { wallClock } from '../lib/clock.ts';
import { BrokerError } from './broker.ts';

export const TRADESTATION_TOKEN_URL = 'https://signin.tradestation.com/oauth/token';

export interface TradeStationAuthOptions {
  /** TradeStation's token endpoint, or the proxy's `/<route>/oauth/token` (the proxy adds its client id and secret). */
  tokenUrl: string;
  /** The API key's client id and secret: only when calling TradeStation directly (never in a page). */
  clientId?: string;
  clientSecret?: string;
  refreshToken: string;
  /** Extra headers for the token request (a vault-mode proxy's bearer token never goes here: vault mode needs no refresh). */
  headers?: Record<string, string>;
  /** The clock the token's lifetime is measured on (injected in tests). */
  now?: () => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** TradeStation may rotate refresh tokens (an API key set to expire them): told the new one, so it can be kept. */
  onRefreshToken?: (token: string) => void;
}

/** Refresh this long before the access token expires (TradeStation's live 20 minutes). */
const MARGIN_MS = 60_000;

/**
 * Access tokens for TradeStation's API by the OAuth 2 refresh-token grant. A token is reused until a minute
 * before it expires and dropped when the API answers 401; concurrent callers share one refresh. No token,
 * secret or token-endpoint body ever goes into an error message: only the HTTP status and OAuth's error code.
 */
export class TradeStationTokens {
  private cached: { token: string; until: number } | null = null;
  private pending: Promise<string> | null = null;
  private refreshToken: string;
  /** Refreshes made (tests and the audit count them; never the tokens themselves). */
  refreshes = 0;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: TradeStationAuthOptions) {
    this.refreshToken = o.refreshToken;
    this.now = o.now ?? (() => wallClock.now());
    this.fetchFn = o.fetch ?? ((...a) => fetch(...a));
  }

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.until) return this.cached.token;
    this.pending ??= this.refresh().finally(() => { this.pending = null; });
    return this.pending;
  }

  /** The API refused this token (401): the next call refreshes, unless another caller already did. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  private async refresh(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken });
    if (this.o.clientId) form.set('client_id', this.o.clientId);
    if (this.o.clientSecret) form.set('client_secret', this.o.clientSecret);
    const where = `POST ${new URL(this.o.tokenUrl).pathname}`;
    let res: Response;
    try {
      res = await this.fetchFn(this.o.tokenUrl, {
        method: 'POST', headers: { ...this.o.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(), redirect: 'manual', signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch {
      throw new BrokerError('ambiguous', `${where}: TradeStation's sign-in server did not answer (token refresh)`);
    }
    let body: Record<string, unknown> | null = null;
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch { /* reported below by status */ }
    if (!res.ok) {
      const code = typeof body?.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? ` (${body.error})` : '';
      const kind = res.status === 429 ? 'rate-limited' : res.status >= 500 ? 'ambiguous' : 'refused';
      throw new BrokerError(kind, `${where}: token refresh answered HTTP ${res.status}${code}; sign in again if the refresh token was revoked`, res.status);
    }
    const access = body?.access_token;
    if (typeof access !== 'string' || access === '') throw new BrokerError('malformed', `${where}: the token answer has no access_token`);
    const life = typeof body!.expires_in === 'number' && body!.expires_in > 0 ? body!.expires_in : 1200;
    const rotated = body!.refresh_token;
    if (typeof rotated === 'string' && rotated !== '' && rotated !== this.refreshToken) {
      this.refreshToken = rotated;
      this.o.onRefreshToken?.(rotated);
    }
    this.refreshes++;
    this.cached = { token: access, until: this.now() + Math.max(0, life * 1000 - MARGIN_MS) };
    return access;
  }
}
