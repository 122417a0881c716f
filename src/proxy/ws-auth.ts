/** Transforms one client-to-upstream WebSocket message (text stays text, binary stays binary). */
export type MessageRewriter = (m: string | Uint8Array) => string | Uint8Array;

const dec = new TextDecoder();
const enc = new TextEncoder();

/**
 * Alpaca's streams authenticate with a first message, `{"action":"auth","key":…,"secret":…}` (the trading
 * stream also takes the older `{"action":"authenticate","data":{"key_id":…,"secret_key":…}}`). In vault
 * mode the client sends either with any placeholder values and the proxy fills in the keys it holds, so
 * the same client code works in both modes. Every other message passes unchanged.
 */
export function alpacaAuthRewriter(key: string, secret: string): MessageRewriter {
  return (m) => {
    const text = typeof m === 'string' ? m : dec.decode(m);
    if (!text.includes('auth')) return m;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return m;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return m;
    const o = v as Record<string, unknown>;
    let out: string | null = null;
    if (o.action === 'auth') out = JSON.stringify({ ...o, key, secret });
    else if (o.action === 'authenticate') out = JSON.stringify({ action: 'authenticate', data: { key_id: key, secret_key: secret } });
    if (out === null) return m;
    return typeof m === 'string' ? out : enc.encode(out);
  };
}
