/**
 * The request target, checked before anything else looks at it. Checks run on the raw target the client
 * sent (the Node entry passes it), because a URL parser would already have resolved `..`, `%2e%2e` and
 * backslashes into a different, innocent-looking path.
 */

export type TargetCheck =
  | { ok: true; route: string; path: string; query: string }
  | { ok: false; status: 400 | 404; rule: string; error: string };

/**
 * Every character a relayed path may hold: enough for broker ids, symbols like BRK.B, comma-separated
 * accounts and Gemini's `models/x:generateContent`. No `%` (so no encoded dots, slashes or NULs), no `\`,
 * no `@`, no `;`, no spaces or control characters.
 */
const PATH_CHARS = /^[A-Za-z0-9._~:,/-]*$/;
const ROUTE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function hasControlOrSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

const bad = (rule: string, error: string): TargetCheck => ({ ok: false, status: 400, rule, error });

export function checkTarget(raw: string): TargetCheck {
  if (!raw.startsWith('/')) return bad('absolute-url', 'The request target must be a path starting with "/", not an absolute URL.');
  const q = raw.indexOf('?');
  const pathPart = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q);
  if (pathPart.includes('\\') || /%5c/i.test(pathPart)) return bad('backslash', 'Backslashes are not allowed in the path.');
  if (/%2e/i.test(pathPart)) return bad('encoded-dot', 'Encoded dots (%2e) are not allowed in the path.');
  if (/%2f/i.test(pathPart)) return bad('encoded-slash', 'Encoded slashes (%2f) are not allowed in the path.');
  if (pathPart.includes('@')) return bad('at-sign', '"@" is not allowed in the path.');
  if (!PATH_CHARS.test(pathPart)) return bad('path-chars', 'The path has a character outside A-Z a-z 0-9 . _ ~ : , / -.');
  const segs = pathPart.split('/').slice(1);
  if (segs.some((s) => s === '..' || s === '.')) return bad('dot-segment', 'Dot segments ("." or "..") are not allowed in the path.');
  if (segs.some((s) => s === '')) return bad('empty-segment', 'Empty path segments ("//" or a trailing "/") are not allowed.');
  if (hasControlOrSpace(query) || query.includes('#')) return bad('query-chars', 'The query has spaces, control characters or "#".');
  const route = segs[0] ?? '';
  if (!ROUTE_NAME.test(route)) return { ok: false, status: 404, rule: 'route', error: 'No such route; the path starts with a route name such as /alpaca-paper/.' };
  const rest = segs.slice(1).join('/');
  return { ok: true, route, path: `/${rest}`, query };
}

/**
 * An allow-list pattern `METHOD /path`: literal segments, `{name}` for one id-like piece of a segment
 * (letters, digits, `.`, `_`, `~`, `,`, `-`; never `/` or `:`). WS is the method of a WebSocket upgrade.
 */
export interface Pattern {
  text: string;
  method: string;
  re: RegExp;
  /** The query parameter names a request on this pattern may carry (HTTP only; streams have their own list). */
  query: ReadonlySet<string>;
}

const PARAM = '[A-Za-z0-9._~,-]+';

export function compilePattern(text: string, query: readonly string[] = []): Pattern {
  const m = /^(GET|POST|PUT|PATCH|DELETE|WS) (\/[A-Za-z0-9._~:,/{}-]*)$/.exec(text);
  if (!m) throw new Error(`Invalid allow-list pattern ${JSON.stringify(text)}: expected "METHOD /path" with METHOD one of GET POST PUT PATCH DELETE WS.`);
  const body = m[2]!.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z]+\}/g, PARAM);
  if (/[{}]/.test(body)) throw new Error(`Invalid allow-list pattern ${JSON.stringify(text)}: a parameter is written {name}.`);
  return { text, method: m[1]!, re: new RegExp(`^${body}$`), query: new Set(query) };
}

export function matchPattern(patterns: readonly Pattern[], method: string, path: string): Pattern | undefined {
  for (const p of patterns) if (p.method === method && p.re.test(path)) return p;
  return undefined;
}

export type QueryCheck = { ok: true; query: string } | { ok: false; name: string };

/**
 * Keeps a query to the names its pattern allows. What goes upstream is re-serialised from the parsed pairs, so
 * the upstream reads exactly what was checked (no second parser to disagree about `;`, `+` or stray `%`).
 */
export function checkQuery(pattern: Pattern, query: string): QueryCheck {
  const q = new URLSearchParams(query);
  for (const name of q.keys()) if (!pattern.query.has(name)) return { ok: false, name };
  const s = q.toString();
  return { ok: true, query: s ? `?${s}` : '' };
}
