import { z } from 'zod';
import { PROXY_ROUTES, type ProxyRoute } from '../schema/index.ts';
import { BUILTIN_ROUTES, TRADESTATION_ENV, type RouteSpec } from './routes.ts';
import { compilePattern, type Pattern } from './target.ts';

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && !u.username && !u.password && !u.search && !u.hash;
  } catch {
    return false;
  }
}, 'expected an http(s) or ws(s) URL without credentials, query or fragment');

const originUrl = z.string().refine((s) => {
  try {
    return new URL(s).origin === s;
  } catch {
    return false;
  }
}, 'expected an origin such as https://app.example (scheme, host and port only, no trailing slash)');

const RouteOverride = z.strictObject({
  /** Points the route elsewhere: a fake in tests, or any OpenAI-compatible server for `openai`. */
  upstream: httpUrl.optional(),
  wsUpstream: httpUrl.optional(),
  authUpstream: httpUrl.optional(),
  /** Narrows the built-in allow-list; every pattern must be one of the route's built-in ones. */
  allow: z.array(z.string()).optional(),
  /** false switches the route off. */
  enabled: z.boolean().optional(),
});

/** The JSON config file (`--config FILE`, or PROXY_CONFIG on Workers). Everything is optional. */
export const ProxyConfigSchema = z.strictObject({
  allowOrigins: z.array(originUrl).default([]),
  routes: z.partialRecord(z.enum(PROXY_ROUTES), RouteOverride).default({}),
  maxBodyBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(64 * 1024),
  upstreamTimeoutMs: z.number().int().min(1).max(600_000).default(60_000),
  rateLimit: z.strictObject({ burst: z.number().min(1), perSecond: z.number().positive() }).default({ burst: 100, perSecond: 5 }),
});
export type ProxyConfigInput = z.input<typeof ProxyConfigSchema>;

export interface ResolvedRoute {
  name: ProxyRoute;
  spec: RouteSpec;
  upstream: URL;
  wsUpstream: URL;
  patterns: Pattern[];
  /** The secrets this route injects in vault mode, when all are present. */
  vaultReady: boolean;
}

export interface ResolvedConfig {
  allowOrigins: ReadonlySet<string>;
  routes: ReadonlyMap<string, ResolvedRoute>;
  maxBodyBytes: number;
  upstreamTimeoutMs: number;
  rateLimit: { burst: number; perSecond: number };
  /** Vault mode: PROXY_TOKEN is set; every request must carry it and the proxy injects the keys. */
  token: string | null;
  env: Readonly<Record<string, string | undefined>>;
}

export type Env = Readonly<Record<string, string | undefined>>;

function vaultReady(spec: RouteSpec, env: Env): boolean {
  if (spec.vault.kind === 'headers') return Object.values(spec.vault.headers).every((h) => !!env[h.env]);
  return !!env[TRADESTATION_ENV.clientId] && !!env[TRADESTATION_ENV.clientSecret] && !!env[TRADESTATION_ENV.refreshToken];
}

/** Every secret name a route can read, so a misconfiguration (keys without PROXY_TOKEN) is caught at start. */
function vaultEnvNames(spec: RouteSpec): string[] {
  return spec.vault.kind === 'headers' ? Object.values(spec.vault.headers).map((h) => h.env) : [TRADESTATION_ENV.refreshToken];
}

const toWs = (u: URL): URL => new URL(u.href.replace(/^http/, 'ws'));

/**
 * Validates a config (a parsed JSON value) against the built-in routes and the environment. Throws with
 * a message that says which field is wrong; never with a secret's value.
 */
export function resolveConfig(input: unknown, env: Env): ResolvedConfig {
  const parsed = ProxyConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`Invalid proxy config at ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const c = parsed.data;
  const token = env.PROXY_TOKEN ? env.PROXY_TOKEN : null;
  if (token !== null && token.length < 16) throw new Error('PROXY_TOKEN is shorter than 16 characters; use a long random token (e.g. openssl rand -hex 32).');
  const routes = new Map<string, ResolvedRoute>();
  for (const name of PROXY_ROUTES) {
    const base = BUILTIN_ROUTES[name];
    const o = c.routes[name] ?? {};
    if (o.enabled === false) continue;
    for (const p of o.allow ?? []) {
      if (!base.allow.includes(p)) throw new Error(`Invalid proxy config at routes.${name}.allow: ${JSON.stringify(p)} is not in the route's built-in allow-list (a config can only narrow it).`);
    }
    const spec: RouteSpec = {
      ...base,
      upstream: o.upstream ?? base.upstream,
      allow: o.allow ?? base.allow,
      ...(o.authUpstream ?? base.authUpstream ? { authUpstream: o.authUpstream ?? base.authUpstream } : {}),
    };
    const upstream = new URL(spec.upstream);
    // A re-pointed route streams from the same place unless told otherwise.
    const wsUpstream = o.wsUpstream ? new URL(o.wsUpstream) : o.upstream || !base.wsUpstream ? toWs(upstream) : new URL(base.wsUpstream);
    routes.set(name, { name, spec, upstream, wsUpstream, patterns: spec.allow.map((t) => compilePattern(t, spec.query?.[t])), vaultReady: vaultReady(spec, env) });
  }
  if (token === null) {
    const held = [...routes.values()].flatMap((r) => vaultEnvNames(r.spec)).filter((n) => !!env[n]);
    if (held.length) {
      throw new Error(`Keys are set (${[...new Set(held)].join(', ')}) but PROXY_TOKEN is not: anyone who finds the proxy could use them. Set PROXY_TOKEN or unset the keys.`);
    }
  }
  return {
    allowOrigins: new Set(c.allowOrigins), routes, maxBodyBytes: c.maxBodyBytes, upstreamTimeoutMs: c.upstreamTimeoutMs,
    rateLimit: c.rateLimit, token, env,
  };
}
