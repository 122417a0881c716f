/**
 * Addresses through the broker proxy (src/proxy), shared by the app, the CLI, live trading and the LLM
 * clients. A proxy URL is an http(s) origin with an optional path prefix (a proxy mounted under a path);
 * a route is one of the proxy's route names (`alpaca-paper`, `openai`, …).
 */

export type ProxyUrlCheck = { ok: true; url: string } | { ok: false; error: string };

/**
 * Validates a proxy URL typed by a user and returns it normalised (no trailing slash). Credentials, a query
 * or a fragment are refused: the token travels in a header, never in the address, so it cannot leak into a
 * share link or an access log.
 */
export function checkProxyUrl(text: string): ProxyUrlCheck {
  const s = text.trim();
  if (s === '') return { ok: false, error: 'The proxy URL is empty.' };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { ok: false, error: 'The proxy URL is not a valid URL (expected e.g. https://proxy.example.com).' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { ok: false, error: `The proxy URL must start with http:// or https://, not ${u.protocol}//.` };
  }
  if (u.username !== '' || u.password !== '') {
    return { ok: false, error: 'The proxy URL must not contain a user name or password; put the token in the token field.' };
  }
  if (u.search !== '' || u.hash !== '') return { ok: false, error: 'The proxy URL must not contain a query (?…) or fragment (#…).' };
  return { ok: true, url: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
}

/** Route names are lower-case words joined by dashes, so they can never smuggle a path into the URL. */
const ROUTE_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The base URL of `route` behind the proxy at `proxyUrl`: `proxiedBase('https://p.example/', 'alpaca-paper')`
 * is `https://p.example/alpaca-paper`. Append the provider's own path (`/v2/account`) to it.
 */
export function proxiedBase(proxyUrl: string, route: string): string {
  const c = checkProxyUrl(proxyUrl);
  if (!c.ok) throw new Error(c.error);
  if (!ROUTE_RE.test(route)) throw new Error(`Invalid proxy route name: ${JSON.stringify(route)}.`);
  return `${c.url}/${route}`;
}

/** The same for a WebSocket stream: the scheme becomes ws:// or wss://. */
export function proxiedWsBase(proxyUrl: string, route: string): string {
  return proxiedBase(proxyUrl, route).replace(/^http/, 'ws');
}

/** The header that proves a client may use a vault-mode proxy; empty when there is no token (relay mode). */
export function proxyAuthHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
