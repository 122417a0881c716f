/** Why a model call failed. `retry` says whether another attempt (or a stronger model) can help. */
export type LlmErrorKind = 'auth' | 'http' | 'timeout' | 'network' | 'refused' | 'protocol' | 'aborted' | 'config';

const RETRYABLE: Record<LlmErrorKind, boolean> = {
  auth: false, http: true, timeout: true, network: true, refused: false, protocol: true, aborted: false, config: false,
};

export class LlmError extends Error {
  override name = 'LlmError';
  readonly retry: boolean;
  constructor(readonly kind: LlmErrorKind, message: string, readonly status?: number) {
    super(message);
    this.retry = RETRYABLE[kind];
  }
}

/**
 * Removes every secret from a text that may reach the user, a log or the attempt log: error bodies from a
 * provider or a proxy can echo what they were sent. Strings shorter than 4 characters are not searched for:
 * no real key or token is that short, and they would blank ordinary words.
 */
export function redact(text: string, secrets: readonly (string | undefined | null)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join('[redacted]');
  }
  return out;
}
