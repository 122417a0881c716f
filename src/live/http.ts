import { BrokerError } from './broker.ts';

export interface HttpOptions {
  /** Headers sent with every request (keys live here and nowhere else: never in a message). */
  headers: Record<string, string>;
  timeoutMs?: number;
  /** Retries of an idempotent request after a 429, a 5xx or no answer. */
  retries?: number;
  /** Injected for tests; the back-off waits through it. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

const MAX_WAIT_MS = 30_000;

/**
 * JSON over HTTP for broker adapters, with the failure classes the live processor acts on (BrokerError).
 * GET and DELETE are retried with exponential back-off (a 429's Retry-After wins); a POST never is — its
 * outcome is ambiguous and the processor decides by looking the order up. Messages name the method and
 * path and quote at most 200 characters of the broker's own message, never a header.
 */
export class Http {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: HttpOptions) {
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.retries = o.retries ?? 3;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.fetchFn = o.fetch ?? ((...a) => fetch(...a));
  }

  /**
   * `form`: the body goes as application/x-www-form-urlencoded (Tradier), else as JSON. The answer is JSON either
   * way. `headers`: added to this request only (an OAuth access token that changes over time).
   */
  async json(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, form = false, headers?: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const idempotent = method !== 'POST';
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, url, body, form, headers);
      } catch (e) {
        const err = e as BrokerError;
        const retry = idempotent && attempt < this.retries && (err.kind === 'ambiguous' || err.kind === 'rate-limited');
        if (!retry) throw err;
        await this.sleep(Math.min(MAX_WAIT_MS, Math.max(err.retryAfterMs, 250 * 2 ** attempt)));
      }
    }
  }

  private async once(method: string, url: string, body: unknown, form: boolean, extra?: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const where = `${method} ${new URL(url).pathname}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers: { ...this.o.headers, ...extra, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }) },
        body: body === undefined ? undefined : form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timeout = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
      throw new BrokerError('ambiguous', `${where}: ${timeout ? `no answer within ${this.timeoutMs} ms` : 'connection failed'}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new BrokerError('ambiguous', `${where}: the connection was lost while reading the answer (status ${res.status})`, res.status);
    }
    if (res.status === 429) {
      const ra = Number(res.headers.get('retry-after'));
      throw new BrokerError('rate-limited', `${where}: rate limited (429)${Number.isFinite(ra) ? `, retry after ${ra} s` : ''}`, 429, Number.isFinite(ra) ? ra * 1000 : 1000);
    }
    if (res.status >= 500) throw new BrokerError('ambiguous', `${where}: broker error ${res.status}${quote(text)}`, res.status);
    if (res.status >= 400) throw new BrokerError('refused', `${where}: ${res.status}${quote(text)}`, res.status);
    if (res.status === 204 || text === '') return { status: res.status, body: null };
    try {
      return { status: res.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new BrokerError('malformed', `${where}: the answer is not JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})`, res.status);
    }
  }
}

/** The broker's own message (its JSON `message`, else the text), shortened: enough to act on, never a flood. */
function quote(text: string): string {
  let m = text;
  try {
    const j = JSON.parse(text) as { message?: unknown; Message?: unknown };
    // Alpaca and Tradier say `message`, TradeStation `Message`.
    const said = j.message ?? j.Message;
    if (typeof said === 'string') m = said;
  } catch { /* not JSON: the text itself */ }
  m = m.replace(/\s+/g, ' ').trim();
  return m === '' ? '' : `: ${m.slice(0, 200)}`;
}

/** Reads a field of a broker answer, or says which field was missing or wrong. */
export class Fields {
  constructor(private readonly obj: unknown, private readonly what: string) {
    if (typeof obj !== 'object' || obj === null) throw new BrokerError('malformed', `${what}: expected an object, got ${obj === null ? 'null' : typeof obj}`);
  }

  /** A field as sent, unchecked. */
  raw(k: string): unknown {
    return (this.obj as Record<string, unknown>)[k];
  }

  str(k: string): string {
    const v = this.raw(k);
    if (typeof v !== 'string' || v === '') throw new BrokerError('malformed', `${this.what}: field "${k}" is missing or not a string`);
    return v;
  }

  /** A number sent as a number or a decimal string (Alpaca sends strings). */
  num(k: string): number {
    const v = this.raw(k);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new BrokerError('malformed', `${this.what}: field "${k}" is missing or not a number`);
    return n;
  }

  numOrNull(k: string): number | null {
    const v = this.raw(k);
    return v === null || v === undefined ? null : this.num(k);
  }

  bool(k: string): boolean {
    const v = this.raw(k);
    if (typeof v !== 'boolean') throw new BrokerError('malformed', `${this.what}: field "${k}" is missing or not true/false`);
    return v;
  }

  time(k: string): number {
    const t = Date.parse(this.str(k));
    if (!Number.isFinite(t)) throw new BrokerError('malformed', `${this.what}: field "${k}" is not a time`);
    return t;
  }
}

export function arrayOf(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new BrokerError('malformed', `${what}: expected a list`);
  return v;
}
