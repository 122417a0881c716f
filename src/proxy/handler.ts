import { wallClock, type Clock } from '../lib/clock.ts';
import type { ProxyHealth } from '../schema/index.ts';
import { checkToken, presentedToken, type TokenState } from './auth.ts';
import { readCapped } from './body.ts';
import type { ResolvedConfig, ResolvedRoute } from './config.ts';
import { pickRequestHeaders, responseHeaders } from './headers.ts';
import { jsonLogger, type AccessLog, type AccessLogger } from './log.ts';
import * as oauth from './oauth.ts';
import { RateLimiter } from './rate-limit.ts';
import { COMMON_REQUEST_HEADERS } from './routes.ts';
import { checkQuery, checkTarget, matchPattern, type Pattern } from './target.ts';
import { alpacaAuthRewriter, type MessageRewriter } from './ws-auth.ts';

export interface ProxyOptions {
  config: ResolvedConfig;
  log?: AccessLogger;
  clock?: Clock;
  /** The upstream fetch (tests may count calls); redirects are never followed either way. */
  fetch?: typeof fetch;
}

/** What the runtime entry knows about the caller that a Request does not carry. */
export interface ClientInfo {
  /** Rate-limit key: the socket's address (Node) or CF-Connecting-IP (Workers). */
  ip: string;
  /** The request target exactly as received (Node): checked before any URL parser normalises it. */
  rawTarget?: string;
}

/** A WebSocket upgrade the proxy agreed to relay. */
export interface WsPlan {
  upstream: URL;
  /** Applied to every client-to-upstream message: fills in vault keys for Alpaca's auth message. */
  rewrite: MessageRewriter;
  /** Sub-protocols to ask the upstream for: the client's, each one on the route's allow-list. */
  protocols: string[];
  /** Call when the stream ends, to write its access-log line. */
  done(status: number): void;
}

export interface Proxy {
  fetch(req: Request, client: ClientInfo): Promise<Response>;
  /** For an upgrade request: a plan to relay it, or the refusal to send instead. */
  planWebSocket(req: Request, client: ClientInfo): Promise<WsPlan | Response>;
  config: ResolvedConfig;
}

type Refusal = { status: number; rule: string; error: string; headers?: Record<string, string> };
const refuse = (status: number, rule: string, error: string, headers?: Record<string, string>): Refusal => ({ status, rule, error, ...(headers ? { headers } : {}) });

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/**
 * The proxy as one Web-standard handler. Every request runs the same gauntlet, in this order: rate limit,
 * target checks, route, origin, preflight, proxy token, allow-list, body cap; only then is anything sent
 * upstream, and only the headers the route allows.
 */
export function createProxy(opts: ProxyOptions): Proxy {
  const cfg = opts.config;
  const log = opts.log ?? jsonLogger;
  const clock = opts.clock ?? wallClock;
  const fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
  const limiter = new RateLimiter(cfg.rateLimit.burst, cfg.rateLimit.perSecond, clock);
  const tsVaults = new Map<string, oauth.TradeStationVault>();
  const routeNames = [...cfg.routes.keys()];

  const corsHeaders = (origin: string | null): Record<string, string> =>
    origin !== null && cfg.allowOrigins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};

  const errorResponse = (r: Refusal, origin: string | null): Response =>
    Response.json({ error: r.error, rule: r.rule }, { status: r.status, headers: { ...corsHeaders(origin), ...r.headers } });

  function tokenState(req: Request, query: string, ws: boolean): TokenState | 'not-needed' {
    return cfg.token === null ? 'not-needed' : checkToken(presentedToken(req, query, ws), cfg.token);
  }

  function health(req: Request, origin: string | null): Response {
    const body: ProxyHealth = {
      ok: true, service: 'backtester-proxy', mode: cfg.token === null ? 'relay' : 'vault', routes: routeNames,
      auth: tokenState(req, '', false), origin: origin === null ? 'none' : cfg.allowOrigins.has(origin) ? 'allowed' : 'refused',
    };
    // Any page may read this (it holds nothing secret), so the app can say *why* a proxy refuses it.
    const cors: Record<string, string> = origin === null ? {} : { 'access-control-allow-origin': origin, vary: 'Origin' };
    if (req.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { ...cors, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' } });
    }
    return Response.json(body, { headers: { ...cors, 'cache-control': 'no-store' } });
  }

  interface Admitted { route: ResolvedRoute; pattern: Pattern; path: string; query: string; origin: string | null }

  /** The checks shared by HTTP and WebSocket requests. */
  function admit(req: Request, client: ClientInfo, method: string, ws: boolean, entry: AccessLog): Admitted | Refusal | Response {
    const wait = limiter.take(client.ip);
    if (wait > 0) return refuse(429, 'rate-limit', `Too many requests; retry in ${wait} s.`, { 'retry-after': String(wait) });
    const url = new URL(req.url);
    const t = checkTarget(client.rawTarget ?? url.pathname + url.search);
    if (!t.ok) return refuse(t.status, t.rule, t.error);
    const route = cfg.routes.get(t.route);
    if (!route) return refuse(404, 'route', `No route named ${JSON.stringify(t.route)} on this proxy. Routes: ${routeNames.join(', ')}.`);
    entry.route = route.name;
    const origin = req.headers.get('origin');
    if (origin !== null && !cfg.allowOrigins.has(origin)) {
      return refuse(403, 'origin', 'This origin is not in the proxy\'s allowOrigins.');
    }
    const wantMethod = method === 'OPTIONS' ? (req.headers.get('access-control-request-method') ?? '').toUpperCase() : method;
    const pattern = matchPattern(route.patterns, ws ? 'WS' : wantMethod, t.path);
    if (method === 'OPTIONS') {
      if (!pattern) return refuse(403, 'allow-list', `${wantMethod || '(no method)'} ${t.path} is not allowed on route ${route.name}.`);
      entry.pattern = pattern.text;
      const allowHeaders = [...COMMON_REQUEST_HEADERS, ...route.spec.relayHeaders, 'authorization'];
      return new Response(null, {
        status: 204,
        headers: { ...corsHeaders(origin), 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': [...new Set(allowHeaders)].join(', '), 'access-control-max-age': '600' },
      });
    }
    const auth = tokenState(req, t.query, ws);
    if (auth === 'missing') return refuse(401, 'token', 'This proxy is in vault mode: send Authorization: Bearer <PROXY_TOKEN>.', { 'www-authenticate': 'Bearer' });
    if (auth === 'wrong') return refuse(401, 'token', 'The proxy token is wrong.', { 'www-authenticate': 'Bearer' });
    if (!pattern) return refuse(403, 'allow-list', `${ws ? 'WS' : method} ${t.path} is not allowed on route ${route.name}.`);
    entry.pattern = pattern.text;
    let query = t.query;
    if (!ws) {
      const q = checkQuery(pattern, t.query);
      if (!q.ok) {
        const names = [...pattern.query];
        return refuse(400, 'query', `Query parameter ${JSON.stringify(q.name.slice(0, 40))} is not allowed on ${pattern.text} (${names.length ? `allowed: ${names.join(', ')}` : 'it takes none'}).`);
      }
      query = q.query;
    }
    if (cfg.token !== null && !route.vaultReady && !pattern.text.includes(' /oauth/')) {
      return refuse(403, 'vault-keys', `Route ${route.name} has no keys in this proxy's vault.`);
    }
    return { route, pattern, path: t.path, query, origin };
  }

  async function upstreamHeaders(req: Request, route: ResolvedRoute): Promise<Headers> {
    const vault = cfg.token !== null;
    const h = pickRequestHeaders(req.headers, vault ? COMMON_REQUEST_HEADERS : [...COMMON_REQUEST_HEADERS, ...route.spec.relayHeaders]);
    if (!vault) return h;
    const v = route.spec.vault;
    if (v.kind === 'headers') {
      for (const [name, { env, prefix }] of Object.entries(v.headers)) h.set(name, (prefix ?? '') + cfg.env[env]!);
    } else {
      let tv = tsVaults.get(route.name);
      if (!tv) tsVaults.set(route.name, (tv = new oauth.TradeStationVault(clock)));
      h.set('authorization', `Bearer ${await tv.accessToken(route, cfg, fetchFn)}`);
    }
    return h;
  }

  function upstreamUrl(base: URL, path: string, query: string): URL {
    const u = new URL(base.href);
    u.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
    u.search = query;
    // The path was checked character by character; this is the last word that the host cannot change.
    if (u.origin !== base.origin) throw new Error('upstream origin changed');
    return u;
  }

  async function relay(req: Request, a: Admitted, entry: AccessLog): Promise<Response> {
    const fail = (r: Refusal) => {
      entry.rule = r.rule;
      return errorResponse(r, a.origin);
    };
    const body = await readCapped(req, cfg.maxBodyBytes);
    if (!body.ok) return fail(refuse(413, 'body-size', `The request body is larger than ${cfg.maxBodyBytes} bytes.`));
    if (a.pattern.text.endsWith(' /oauth/authorize')) return withCors(oauth.authorize(a.route, cfg, a.query), a.origin);
    let res: Response;
    try {
      if (a.pattern.text.endsWith(' /oauth/token')) {
        res = await oauth.token(a.route, cfg, body.bytes, req.headers.get('content-type') ?? '', fetchFn);
      } else {
        const headers = await upstreamHeaders(req, a.route);
        res = await fetchFn(upstreamUrl(a.route.upstream, a.path, a.query), {
          method: req.method, headers, body: body.bytes, redirect: 'manual',
          signal: AbortSignal.timeout(cfg.upstreamTimeoutMs),
        });
        // A vault token TradeStation no longer takes is dropped: the client's retry gets a fresh one.
        if (res.status === 401 && cfg.token !== null) tsVaults.get(a.route.name)?.invalidate((headers.get('authorization') ?? '').slice('Bearer '.length));
      }
    } catch (e) {
      const timeout = e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError');
      // Never e.message: a failed refresh or connect error could mention more than it should.
      return fail(timeout
        ? refuse(504, 'upstream-timeout', `The upstream did not answer within ${cfg.upstreamTimeoutMs} ms.`)
        : refuse(502, 'upstream-error', 'The upstream could not be reached.'));
    }
    if (res.status >= 300 && res.status < 400 || res.type === 'opaqueredirect') {
      await res.body?.cancel().catch(() => undefined);
      return fail(refuse(502, 'redirect', 'The upstream answered with a redirect; the proxy never follows redirects.'));
    }
    const headers = responseHeaders(res.headers);
    for (const [k, v] of Object.entries(corsHeaders(a.origin))) headers.set(k, v);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }

  function withCors(res: Response, origin: string | null): Response {
    for (const [k, v] of Object.entries(corsHeaders(origin))) res.headers.set(k, v);
    return res;
  }

  async function handle(req: Request, client: ClientInfo): Promise<Response> {
    const t0 = clock.now();
    const method = req.method.toUpperCase();
    const entry: AccessLog = { route: null, method, pattern: null, status: 0, ms: 0 };
    const origin = req.headers.get('origin');
    let res: Response;
    const target = client.rawTarget ?? new URL(req.url).pathname;
    if ((target === '/health' || target === '/health/') && (method === 'GET' || method === 'OPTIONS')) {
      const wait = limiter.take(client.ip);
      res = wait > 0 ? errorResponse(refuse(429, 'rate-limit', `Too many requests; retry in ${wait} s.`, { 'retry-after': String(wait) }), origin) : health(req, origin);
      entry.route = 'health';
    } else if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      res = errorResponse(refuse(426, 'websocket', 'WebSocket upgrades are handled by the runtime entry.'), origin);
    } else {
      const a = admit(req, client, method, false, entry);
      if (a instanceof Response) res = a;
      else if ('rule' in a) {
        entry.rule = a.rule;
        await req.body?.cancel().catch(() => undefined);
        res = errorResponse(a, origin);
      } else {
        res = await relay(req, a, entry);
      }
    }
    entry.status = res.status;
    entry.ms = clock.now() - t0;
    log(entry);
    return res;
  }

  /**
   * The sub-protocols and query an upgrade may pass upstream: only what the route allow-lists, refused by
   * default. The proxy token travels in the query only for browsers and is never passed on.
   */
  function wsExtras(req: Request, a: Admitted): { query: string; protocols: string[] } | Refusal {
    const allowed = a.route.spec.ws ?? {};
    const q = new URLSearchParams(a.query);
    q.delete('access_token');
    for (const name of new Set(q.keys())) {
      if (!allowed.query?.includes(name)) return refuse(400, 'ws-query', `Query parameter ${JSON.stringify(name.slice(0, 40))} is not allowed on a ${a.route.name} stream.`);
    }
    const header = req.headers.get('sec-websocket-protocol');
    const protocols = (header ?? '').split(',').map((s) => s.trim());
    if (header !== null && protocols.some((p) => p === '' || !allowed.protocols?.includes(p))) {
      return refuse(400, 'ws-protocol', `A sub-protocol offered is not allowed on a ${a.route.name} stream${allowed.protocols?.length ? ` (allowed: ${allowed.protocols.join(', ')})` : ' (it takes none)'}.`);
    }
    const qs = q.toString();
    return { query: qs ? `?${qs}` : '', protocols: header === null ? [] : protocols };
  }

  async function planWebSocket(req: Request, client: ClientInfo): Promise<WsPlan | Response> {
    const t0 = clock.now();
    const entry: AccessLog = { route: null, method: 'GET', pattern: null, status: 0, ms: 0, ws: true };
    const a = admit(req, client, 'GET', true, entry);
    const finish = (status: number) => {
      entry.status = status;
      entry.ms = clock.now() - t0;
      log(entry);
    };
    if (a instanceof Response) {
      finish(a.status);
      return a;
    }
    if ('rule' in a) {
      entry.rule = a.rule;
      finish(a.status);
      return errorResponse(a, req.headers.get('origin'));
    }
    const extras = wsExtras(req, a);
    if ('rule' in extras) {
      entry.rule = extras.rule;
      finish(extras.status);
      return errorResponse(extras, a.origin);
    }
    const upstream = upstreamUrl(a.route.wsUpstream, a.path, extras.query);
    const vault = cfg.token !== null && a.route.spec.wsAuth === 'alpaca' && a.route.spec.vault.kind === 'headers' ? a.route.spec.vault : null;
    const rewrite = vault
      ? alpacaAuthRewriter(cfg.env[vault.headers['apca-api-key-id']!.env]!, cfg.env[vault.headers['apca-api-secret-key']!.env]!)
      : (m: string | Uint8Array) => m;
    return { upstream, rewrite, protocols: extras.protocols, done: finish };
  }

  return { fetch: handle, planWebSocket, config: cfg };
}
