/** Hop-by-hop headers (RFC 9110 §7.6.1) and cookies never cross the proxy, in either direction. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'cookie', 'set-cookie', 'set-cookie2',
  // fetch() hands over a decoded body, so the upstream's length and encoding no longer describe it.
  'content-length', 'content-encoding',
]);

/** Only the named request headers, each copied once; nothing the client invents reaches the upstream. */
export function pickRequestHeaders(from: Headers, names: Iterable<string>): Headers {
  const out = new Headers();
  for (const n of names) {
    const v = from.get(n);
    if (v !== null) out.set(n, v);
  }
  return out;
}

/** The upstream's response headers minus hop-by-hop ones, cookies and whatever its Connection header names. */
export function responseHeaders(from: Headers): Headers {
  const named = new Set((from.get('connection') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  const out = new Headers();
  from.forEach((v, k) => {
    if (!HOP_BY_HOP.has(k) && !named.has(k)) out.append(k, v);
  });
  return out;
}
