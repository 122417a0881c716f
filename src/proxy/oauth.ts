import type { Clock } from '../lib/clock.ts';
import type { ResolvedConfig, ResolvedRoute } from './config.ts';
import { TRADESTATION_ENV } from './routes.ts';

/**
 * TradeStation's OAuth 2 authorization-code flow, completed by the proxy so the client secret never
 * reaches a page: `GET /<route>/oauth/authorize` redirects the user to sign in, `POST /<route>/oauth/token`
 * exchanges a code or refreshes a token with the secret added here. In vault mode the proxy also holds the
 * owner's refresh token and mints the access tokens it injects.
 */

const SCOPE = 'openid offline_access profile MarketData ReadAccount Trade';
const json = (status: number, body: unknown) => Response.json(body, { status });

function client(cfg: ResolvedConfig): { id: string; secret: string } | null {
  const id = cfg.env[TRADESTATION_ENV.clientId];
  const secret = cfg.env[TRADESTATION_ENV.clientSecret];
  return id && secret ? { id, secret } : null;
}

const NO_CLIENT = {
  error: `This proxy has no TradeStation OAuth client: set ${TRADESTATION_ENV.clientId} and ${TRADESTATION_ENV.clientSecret}.`,
  rule: 'oauth-client',
};

/** The sign-in redirect. The redirect_uri must be on an allowed origin, or a stranger could harvest codes. */
export function authorize(route: ResolvedRoute, cfg: ResolvedConfig, query: string): Response {
  const c = client(cfg);
  if (!c) return json(503, NO_CLIENT);
  const q = new URLSearchParams(query);
  const redirect = q.get('redirect_uri');
  let origin: string | null = null;
  try {
    origin = redirect ? new URL(redirect).origin : null;
  } catch {
    origin = null;
  }
  if (!origin || !cfg.allowOrigins.has(origin)) {
    return json(403, { error: 'redirect_uri must be a URL on one of the proxy\'s allowOrigins.', rule: 'oauth-redirect' });
  }
  const to = new URL('/authorize', route.spec.authUpstream);
  to.search = new URLSearchParams({
    response_type: 'code', client_id: c.id, audience: 'https://api.tradestation.com', redirect_uri: redirect!,
    scope: q.get('scope') ?? SCOPE, ...(q.get('state') ? { state: q.get('state')! } : {}),
  }).toString();
  return new Response(null, { status: 302, headers: { location: to.href } });
}

async function tokenRequest(route: ResolvedRoute, form: URLSearchParams, fetchFn: typeof fetch, timeoutMs: number): Promise<Response> {
  return fetchFn(new URL('/oauth/token', route.spec.authUpstream), {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(), redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
  });
}

/**
 * The code exchange or refresh. The caller sends `grant_type` and `code` + `redirect_uri`, or
 * `refresh_token`, as a form or JSON; the proxy adds its client id and secret.
 */
export async function token(
  route: ResolvedRoute, cfg: ResolvedConfig, body: Uint8Array | null, contentType: string, fetchFn: typeof fetch,
): Promise<Response> {
  const c = client(cfg);
  if (!c) return json(503, NO_CLIENT);
  const text = body ? new TextDecoder().decode(body) : '';
  let fields: Record<string, unknown>;
  try {
    fields = contentType.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
  } catch {
    return json(400, { error: 'The token request body is neither a form nor JSON.', rule: 'oauth-body' });
  }
  const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : undefined);
  const grant = str('grant_type');
  const form = new URLSearchParams({ client_id: c.id, client_secret: c.secret });
  if (grant === 'authorization_code' && str('code') && str('redirect_uri')) {
    form.set('grant_type', grant);
    form.set('code', str('code')!);
    form.set('redirect_uri', str('redirect_uri')!);
  } else if (grant === 'refresh_token' && str('refresh_token')) {
    form.set('grant_type', grant);
    form.set('refresh_token', str('refresh_token')!);
  } else {
    return json(400, { error: 'Expected grant_type=authorization_code with code and redirect_uri, or grant_type=refresh_token with refresh_token.', rule: 'oauth-body' });
  }
  return tokenRequest(route, form, fetchFn, cfg.upstreamTimeoutMs);
}

/** Vault mode: one access token per sign-in server, refreshed a minute before it expires. */
export class TradeStationVault {
  private cached: { token: string; until: number } | null = null;
  private pending: Promise<string> | null = null;
  /** A refresh token TradeStation rotated (an API key set to expire them) replaces the configured one. */
  private rotated: string | null = null;

  constructor(private readonly clock: Clock) {}

  /** TradeStation refused this access token (401): the next request refreshes. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  async accessToken(route: ResolvedRoute, cfg: ResolvedConfig, fetchFn: typeof fetch): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.until) return this.cached.token;
    this.pending ??= this.refresh(route, cfg, fetchFn).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async refresh(route: ResolvedRoute, cfg: ResolvedConfig, fetchFn: typeof fetch): Promise<string> {
    const c = client(cfg);
    const refreshToken = this.rotated ?? cfg.env[TRADESTATION_ENV.refreshToken];
    if (!c || !refreshToken) throw new Error('TradeStation vault keys are missing');
    const res = await tokenRequest(route, new URLSearchParams({
      grant_type: 'refresh_token', client_id: c.id, client_secret: c.secret, refresh_token: refreshToken,
    }), fetchFn, cfg.upstreamTimeoutMs);
    // The answer is not echoed: it may carry tokens. Only its status goes into the error.
    if (!res.ok) throw new Error(`TradeStation token refresh answered HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
    if (typeof body.access_token !== 'string') throw new Error('TradeStation token refresh returned no access_token');
    if (typeof body.refresh_token === 'string' && body.refresh_token !== '') this.rotated = body.refresh_token;
    const life = typeof body.expires_in === 'number' ? body.expires_in : 1200;
    this.cached = { token: body.access_token, until: this.clock.now() + Math.max(0, life - 60) * 1000 };
    return body.access_token;
  }
}
