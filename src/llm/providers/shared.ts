import { proxiedBase, proxyAuthHeaders } from '../../lib/proxy-url.ts';
import { LlmError } from '../errors.ts';
import { failure, joinUrl, postJson } from '../http.ts';
import { readSse, type SseEvent } from '../sse.ts';
import type { ChatRequest, FetchLike, ProviderConfig } from '../types.ts';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** What a provider module supplies: its URLs, its key header, and how to read its two answer shapes. */
export interface Wire {
  /** Direct calls: the API root when the config names none. */
  defaultBase: string;
  /** Path below the API root for a direct call. */
  directPath(model: string, stream: boolean): string;
  /** Upstream path below the proxy's route (`<proxy>/<provider>/<this>`). */
  proxyPath(model: string, stream: boolean): string;
  keyHeaders(key: string): Record<string, string>;
  /** Headers every call carries (API version pins). */
  fixedHeaders?: Record<string, string>;
  /** Headers only a direct call carries (e.g. Anthropic's opt-in for browser calls). */
  directHeaders?: Record<string, string>;
}

export interface Call {
  url: string;
  headers: Record<string, string>;
  secrets: (string | undefined)[];
  label: string;
  timeoutMs: number;
}

/**
 * Resolves URL and auth for one request. Through a vault-mode proxy only the proxy token travels (as a
 * Bearer token to the proxy, which holds the provider key); through a relay proxy or directly, the user's key
 * travels in the provider's own header.
 */
export function callFor(cfg: ProviderConfig, wire: Wire, model: string, stream: boolean): Call {
  const proxy = cfg.proxy ?? null;
  let url: string;
  try {
    url = proxy ? joinUrl(proxiedBase(proxy.url, cfg.provider), wire.proxyPath(model, stream)) : joinUrl(cfg.baseUrl || wire.defaultBase, wire.directPath(model, stream));
  } catch (e) {
    throw new LlmError('config', (e as Error).message);
  }
  const headers: Record<string, string> = { ...wire.fixedHeaders, ...(proxy ? {} : wire.directHeaders) };
  if (proxy?.token) Object.assign(headers, proxyAuthHeaders(proxy.token));
  else if (cfg.apiKey) Object.assign(headers, wire.keyHeaders(cfg.apiKey));
  return { url, headers, secrets: [cfg.apiKey, proxy?.token], label: `${cfg.provider} ${model}`, timeoutMs: cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

export async function post(call: Call, body: unknown, req: ChatRequest, fetch: FetchLike): Promise<Response> {
  return postJson(call.url, call.headers, body, { timeoutMs: call.timeoutMs, signal: req.signal, fetch, secrets: call.secrets, label: call.label });
}

/** Parses one JSON payload of a provider (whole body or one stream event); garbage is a protocol error. */
export function parsePayload<T>(text: string, call: Call): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new LlmError('protocol', `${call.label}: the server's answer is not JSON (${text.slice(0, 80)})`);
  }
}

export async function readJson<T>(res: Response, call: Call, req: ChatRequest): Promise<T> {
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw failure(e, { ...call, signal: req.signal });
  }
  return parsePayload<T>(text, call);
}

/** Iterates a stream's events, turning a dropped connection or a deadline into an LlmError. */
export async function* events(res: Response, call: Call, req: ChatRequest): AsyncGenerator<SseEvent> {
  if (!res.body) throw new LlmError('protocol', `${call.label}: the stream has no body`);
  let received = 0;
  const onBytes = (n: number) => {
    received = n;
    req.onDelta?.(received);
  };
  try {
    yield* readSse(res.body, onBytes);
  } catch (e) {
    throw failure(e, { ...call, signal: req.signal });
  }
}

export function cutOff(call: Call): LlmError {
  return new LlmError('protocol', `${call.label}: the answer was cut off at the output token limit`);
}
