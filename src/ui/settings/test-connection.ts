import { checkProxyUrl, proxyAuthHeaders } from '../../lib/proxy-url.ts';
import { ProxyHealthSchema, type ProxyHealth } from '../../schema/index.ts';
import type { ProxySettings } from './proxy-settings.ts';

/** The page's origin as the proxy sees it (absent outside a browser). */
const here = (): string => globalThis.location?.origin ?? 'this page';

export type ConnectionCheck = { ok: true; health: ProxyHealth; problems: string[] } | { ok: false; message: string };

/**
 * Calls the proxy's health route and turns the answer into plain sentences. Messages never repeat the
 * token; they name the URL only, which the user typed and may see.
 */
export async function testProxyConnection(
  s: ProxySettings,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 8000,
): Promise<ConnectionCheck> {
  const c = checkProxyUrl(s.url);
  if (!c.ok) return { ok: false, message: c.error };
  const where = `${c.url}/health`;
  let res: Response;
  try {
    res = await fetchFn(where, { headers: proxyAuthHeaders(s.token), signal: AbortSignal.timeout(timeoutMs), redirect: 'error', credentials: 'omit' });
  } catch (e) {
    const timedOut = e instanceof DOMException && e.name === 'TimeoutError';
    return {
      ok: false,
      message: timedOut
        ? `No answer from ${where} within ${timeoutMs / 1000} s.`
        : `Could not reach ${where}: the proxy is down, the address is wrong, or it does not allow this page's origin (${here()}) in allowOrigins.`,
    };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const parsed = ProxyHealthSchema.safeParse(body);
  if (!res.ok || !parsed.success) {
    return { ok: false, message: `${where} answered HTTP ${res.status} but not as a backtester proxy health check.` };
  }
  const h = parsed.data;
  const problems: string[] = [];
  if (h.origin === 'refused') problems.push(`This proxy does not allow this page's origin (${here()}); add it to allowOrigins in the proxy config.`);
  if (h.auth === 'missing') problems.push('The proxy is in vault mode and needs its token: enter it below.');
  if (h.auth === 'wrong') problems.push('The proxy refused the token: check it against the PROXY_TOKEN the proxy was started with.');
  return { ok: true, health: h, problems };
}
