/**
 * One structured line per request. By construction it has no room for a key, a token, a header, a query
 * or a body: only the route, the method, the allow-list pattern that matched, the status and the time.
 */
export interface AccessLog {
  route: string | null;
  method: string;
  /** The matched `METHOD /path` pattern, or null when the request was refused before matching. */
  pattern: string | null;
  status: number;
  ms: number;
  /** For a refusal: the rule that refused it (e.g. `dot-segment`, `origin`, `rate-limit`). */
  rule?: string;
  ws?: true;
}

export type AccessLogger = (line: AccessLog) => void;

export const jsonLogger: AccessLogger = (line) => console.log(JSON.stringify({ t: new Date().toISOString(), ...line }));
