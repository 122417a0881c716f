import { z } from 'zod';

/** The proxy's built-in route names (issue #13); a config file can only narrow or re-point these. */
export const PROXY_ROUTES = [
  'alpaca-paper', 'alpaca-live', 'alpaca-data', 'tradier', 'tradier-sandbox', 'tradestation', 'tradestation-sim',
  'openai', 'anthropic', 'gemini',
] as const;
export type ProxyRoute = (typeof PROXY_ROUTES)[number];

/**
 * What `GET /health` on the proxy answers: enough for the app's "Test connection" to say what is wrong,
 * nothing secret (no upstream keys, no token, no upstream addresses).
 */
export const ProxyHealthSchema = z.object({
  ok: z.literal(true),
  service: z.literal('backtester-proxy'),
  /** relay: the caller sends the provider's own keys. vault: the proxy holds them and wants the proxy token. */
  mode: z.enum(['relay', 'vault']),
  /** Routes this proxy serves (the built-in ones a config did not switch off). */
  routes: z.array(z.string()),
  /** In vault mode: whether the request carried the right token. `not-needed` in relay mode. */
  auth: z.enum(['not-needed', 'ok', 'missing', 'wrong']),
  /** Whether the request's Origin may call the relayed routes (`none`: no Origin header, e.g. the CLI). */
  origin: z.enum(['allowed', 'refused', 'none']),
});
export type ProxyHealth = z.infer<typeof ProxyHealthSchema>;
