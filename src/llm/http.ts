import { LlmError, redact } from './errors.ts';
import type { FetchLike } from './types.ts';

export interface PostOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  fetch: FetchLike;
  /** Every secret in the request (key, proxy token): scrubbed from any error text. */
  secrets: readonly (string | undefined)[];
  /** Names the call in errors ("openai gpt-4o-mini"). */
  label: string;
}

/**
 * POSTs JSON and returns the response once its status is OK. Failures become LlmErrors whose text says what
 * happened in words and never contains a secret: 401/403 are "auth" (another attempt cannot help), other
 * statuses "http", a missed deadline "timeout", a refused connection "network".
 */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, o: PostOptions): Promise<Response> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await o.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
  } catch (e) {
    throw failure(e, o, timeout);
  }
  if (!res.ok) {
    let detail = '';
    try {
      detail = errorDetail(await res.text());
    } catch {
      // The body is gone or unreadable: the status says enough.
    }
    const kind = res.status === 401 || res.status === 403 ? 'auth' : 'http';
    const hint = kind === 'auth' ? ': check the API key (or the proxy token)' : '';
    throw new LlmError(kind, redact(`${o.label}: HTTP ${res.status}${hint}${detail ? ` — ${detail}` : ''}`, o.secrets), res.status);
  }
  return res;
}

/** Reading a body can fail the same ways a request can (deadline, abort, dropped connection). */
export function failure(e: unknown, o: Pick<PostOptions, 'timeoutMs' | 'signal' | 'label' | 'secrets'>, timeout?: AbortSignal): LlmError {
  if (e instanceof LlmError) return e;
  if (o.signal?.aborted) return new LlmError('aborted', `${o.label}: cancelled`);
  if (timeout?.aborted || (e instanceof Error && e.name === 'TimeoutError')) {
    return new LlmError('timeout', `${o.label}: no answer within ${Math.round(o.timeoutMs / 100) / 10} s`);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new LlmError('network', redact(`${o.label}: could not reach the server (${msg})`, o.secrets));
}

/** The provider's own error message when the body has one (all three use `{error: {message}}`), else a short excerpt. */
function errorDetail(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | unknown };
    const inner = Array.isArray(j) ? (j[0] as typeof j) : j;
    const err = (inner as { error?: { message?: unknown } }).error;
    if (err && typeof err === 'object' && typeof err.message === 'string') return err.message.slice(0, 300);
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 200);
}

/** Joins a base URL and a path without doubling or losing the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
