import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutesTo, fakeUpstream, raw, rawRequest, startProxy, type FakeUpstream, type Harness } from './fakes.ts';

/**
 * Hostile requests against the Node entry, sent as raw bytes. Each must be refused with the right status
 * and rule, and the fake upstream behind every route must never see any of them.
 */

const TOKEN = 'proxy-token-0123456789abcdef';
const KEYS = { APCA_API_KEY_ID: 'PKVAULTKEYID0001', APCA_API_SECRET_KEY: 'vault-secret-alpaca-0001', OPENAI_API_KEY: 'sk-vault-openai-0001' };
const APP = 'https://app.example';

let up: FakeUpstream;
let relay: Harness;
let vault: Harness;
beforeAll(async () => {
  up = await fakeUpstream();
  const config = { allowOrigins: [APP], routes: allRoutesTo(up.url), maxBodyBytes: 1024, rateLimit: { burst: 1000, perSecond: 1000 } };
  relay = await startProxy(config);
  vault = await startProxy(config, { PROXY_TOKEN: TOKEN, ...KEYS });
});
afterAll(async () => {
  await relay.close();
  await vault.close();
  await up.close();
});

const big = 'x'.repeat(2000);
const wsUpgrade = (target: string, headers: Record<string, string> = {}) =>
  raw(`GET ${target} HTTP/1.1`, { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', ...headers });
const chunked = (n: number) => `${n.toString(16)}\r\n${'y'.repeat(n)}\r\n0\r\n\r\n`;

/** [name, raw request, status, rule (when the handler, not Node's parser, refuses)] */
const RELAY_CASES: [string, string, number, string | null][] = [
  ['dot-dot to another route', raw('GET /alpaca-paper/../openai/v1/models HTTP/1.1'), 400, 'dot-segment'],
  ['dot-dot inside the path', raw('GET /alpaca-paper/v2/../v2/account HTTP/1.1'), 400, 'dot-segment'],
  ['dot-dot after an id', raw('GET /alpaca-paper/v2/orders/abc/../../account HTTP/1.1'), 400, 'dot-segment'],
  ['single dot segment', raw('GET /alpaca-paper/v2/./account HTTP/1.1'), 400, 'dot-segment'],
  ['encoded dots', raw('GET /alpaca-paper/%2e%2e/v2/account HTTP/1.1'), 400, 'encoded-dot'],
  ['upper-case encoded dots and slash', raw('GET /alpaca-paper/%2E%2E%2Fv2/account HTTP/1.1'), 400, 'encoded-dot'],
  ['encoded slash', raw('GET /alpaca-paper/v2%2faccount HTTP/1.1'), 400, 'encoded-slash'],
  ['encoded backslash', raw('GET /alpaca-paper/..%5cv2/account HTTP/1.1'), 400, 'backslash'],
  ['backslashes', raw('GET /alpaca-paper\\..\\v2\\account HTTP/1.1'), 400, 'backslash'],
  ['double slash', raw('GET /alpaca-paper//v2/account HTTP/1.1'), 400, 'empty-segment'],
  ['protocol-relative host', raw('GET //evil.example/v2/account HTTP/1.1'), 400, 'empty-segment'],
  ['trailing slash', raw('GET /alpaca-paper/v2/account/ HTTP/1.1'), 400, 'empty-segment'],
  ['at-sign userinfo trick', raw('GET /alpaca-paper/v2/account@evil.example HTTP/1.1'), 400, 'at-sign'],
  ['absolute-form URL', raw('GET http://evil.example/alpaca-paper/v2/account HTTP/1.1'), 400, 'absolute-url'],
  ['URL inside the path', raw('GET /alpaca-paper/http://169.254.169.254/latest/meta-data HTTP/1.1'), 400, 'empty-segment'],
  ['metadata IP as a route', raw('GET /169.254.169.254/latest/meta-data HTTP/1.1'), 404, 'route'],
  ['hex IP literal as a route', raw('GET /0x7f000001/admin HTTP/1.1'), 404, 'route'],
  ['IPv6 literal', raw('GET /[::1]/admin HTTP/1.1'), 400, 'path-chars'],
  ['metadata host name as a route', raw('GET /metadata.google.internal/computeMetadata/v1 HTTP/1.1'), 404, 'route'],
  ['encoded NUL', raw('GET /alpaca-paper/v2/account%00 HTTP/1.1'), 400, 'path-chars'],
  ['matrix parameter', raw('GET /alpaca-paper/v2/account;jsessionid=x HTTP/1.1'), 400, 'path-chars'],
  ['unknown route', raw('GET /nope/v2/account HTTP/1.1'), 404, 'route'],
  ['upper-case route', raw('GET /ALPACA-PAPER/v2/account HTTP/1.1'), 404, 'route'],
  ['path not in the allow-list', raw('GET /alpaca-paper/v2/accounts HTTP/1.1'), 403, 'allow-list'],
  ['upper-case path', raw('GET /alpaca-paper/V2/ACCOUNT HTTP/1.1'), 403, 'allow-list'],
  ['method not in the allow-list', raw('POST /alpaca-paper/v2/account HTTP/1.1', { 'content-length': '0' }), 403, 'allow-list'],
  ['GET on a POST-only LLM endpoint', raw('GET /openai/v1/chat/completions HTTP/1.1'), 403, 'allow-list'],
  ['DELETE on an LLM route', raw('DELETE /openai/v1/models HTTP/1.1'), 403, 'allow-list'],
  ['Gemini path with a dot-dot tail', raw('POST /gemini/v1beta/models/x:generateContent/../y HTTP/1.1', { 'content-length': '0' }), 400, 'dot-segment'],
  ['client-id lookup with traversal', raw('GET /alpaca-paper/v2/orders:by_client_order_id/../account HTTP/1.1'), 400, 'dot-segment'],
  ['declared oversized body', raw('POST /openai/v1/chat/completions HTTP/1.1', { 'content-type': 'application/json', 'content-length': String(big.length) }, big), 413, 'body-size'],
  ['chunked oversized body', raw('POST /openai/v1/chat/completions HTTP/1.1', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunked(2000)), 413, 'body-size'],
  ['chunked body in many small chunks', raw('POST /openai/v1/chat/completions HTTP/1.1', { 'transfer-encoding': 'chunked' }, `${'100\r\n' + 'z'.repeat(256) + '\r\n'}`.repeat(5) + '0\r\n\r\n'), 413, 'body-size'],
  ['smuggling: chunked plus content-length', raw('POST /openai/v1/chat/completions HTTP/1.1', { 'content-length': '4', 'transfer-encoding': 'chunked' }, chunked(4)), 400, null],
  ['header injection with a bare CR', 'GET /alpaca-paper/v2/account HTTP/1.1\r\nHost: x\r\nX-A: b\rInjected: yes\r\nConnection: close\r\n\r\n', 400, null],
  ['bad origin', raw('GET /alpaca-paper/v2/account HTTP/1.1', { origin: 'https://evil.example' }), 403, 'origin'],
  ['origin that only looks like the app', raw('GET /alpaca-paper/v2/account HTTP/1.1', { origin: 'https://app.example.evil.example' }), 403, 'origin'],
  ['null origin', raw('GET /alpaca-paper/v2/account HTTP/1.1', { origin: 'null' }), 403, 'origin'],
  ['preflight from a bad origin', raw('OPTIONS /alpaca-paper/v2/orders HTTP/1.1', { origin: 'https://evil.example', 'access-control-request-method': 'POST' }), 403, 'origin'],
  ['preflight for a method not allowed', raw('OPTIONS /alpaca-paper/v2/account HTTP/1.1', { origin: APP, 'access-control-request-method': 'PUT' }), 403, 'allow-list'],
  ['WebSocket upgrade on a REST path', raw('GET /alpaca-paper/v2/account HTTP/1.1', { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }), 403, 'allow-list'],
  ['WebSocket upgrade from a bad origin', raw('GET /alpaca-paper/stream HTTP/1.1', { upgrade: 'websocket', connection: 'Upgrade', origin: 'https://evil.example', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }), 403, 'origin'],
  ['non-WebSocket upgrade', raw('GET /alpaca-paper/v2/account HTTP/1.1', { upgrade: 'h2c', connection: 'Upgrade' }), 400, 'upgrade'],
  ['WebSocket offering a sub-protocol Alpaca does not take', wsUpgrade('/alpaca-data/v2/iex', { 'sec-websocket-protocol': 'msgpack' }), 400, 'ws-protocol'],
  ['WebSocket with an empty sub-protocol list', wsUpgrade('/alpaca-paper/stream', { 'sec-websocket-protocol': ' , ' }), 400, 'ws-protocol'],
  ['WebSocket smuggling a query parameter upstream', wsUpgrade('/alpaca-data/v2/iex?feed=sip'), 400, 'ws-query'],
  ['WebSocket query riding next to access_token', wsUpgrade('/alpaca-paper/stream?access_token=x&redirect=http://169.254.169.254/'), 400, 'ws-query'],
  ['WebSocket on a feed that is not Alpaca\'s', wsUpgrade('/alpaca-data/v2/evil'), 403, 'allow-list'],
  ['WebSocket below a feed', wsUpgrade('/alpaca-data/v2/iex/extra'), 403, 'allow-list'],
];

const VAULT_CASES: [string, string, number, string][] = [
  ['vault: no token', raw('GET /alpaca-paper/v2/account HTTP/1.1'), 401, 'token'],
  ['vault: wrong token', raw('GET /alpaca-paper/v2/account HTTP/1.1', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }), 401, 'token'],
  ['vault: token prefix', raw('GET /alpaca-paper/v2/account HTTP/1.1', { authorization: `Bearer ${TOKEN.slice(0, 8)}` }), 401, 'token'],
  ['vault: token as Basic', raw('GET /alpaca-paper/v2/account HTTP/1.1', { authorization: `Basic ${TOKEN}` }), 401, 'token'],
  ['vault: broker keys instead of the token', raw('GET /alpaca-paper/v2/account HTTP/1.1', { 'apca-api-key-id': 'PKX', 'apca-api-secret-key': 'S' }), 401, 'token'],
  ['vault: token in the query of a REST call', raw(`GET /alpaca-paper/v2/account?access_token=${TOKEN} HTTP/1.1`), 401, 'token'],
  ['vault: route without keys in the vault', raw('GET /tradier/v1/user/profile HTTP/1.1', { authorization: `Bearer ${TOKEN}` }), 403, 'vault-keys'],
  ['vault: WebSocket without the token', raw('GET /alpaca-paper/stream HTTP/1.1', { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }), 401, 'token'],
];

describe('hostile requests', () => {
  it(`has at least 30 cases (${RELAY_CASES.length + VAULT_CASES.length})`, () => expect(RELAY_CASES.length + VAULT_CASES.length).toBeGreaterThanOrEqual(30));

  it.each(RELAY_CASES)('%s: refused', async (_name, text, status, rule) => {
    const r = await rawRequest(relay.node.port, text);
    expect(r.status).toBe(status);
    if (rule) expect(r.body).toContain(`"rule":"${rule}"`);
  });

  it.each(VAULT_CASES)('%s: refused', async (_name, text, status, rule) => {
    const r = await rawRequest(vault.node.port, text);
    expect(r.status).toBe(status);
    expect(r.body).toContain(`"rule":"${rule}"`);
  });

  it('none of them reached the upstream, and no log line holds a key, the token or a path', () => {
    expect(up.seen).toEqual([]);
    expect(up.wsSeen).toEqual([]);
    const text = JSON.stringify([...relay.logs, ...vault.logs]);
    for (const secret of [TOKEN, ...Object.values(KEYS), 'evil.example', '169.254', 'jsessionid']) expect(text).not.toContain(secret);
    expect(relay.logs.length + vault.logs.length).toBeGreaterThanOrEqual(RELAY_CASES.length + VAULT_CASES.length - 3);
    for (const l of [...relay.logs, ...vault.logs]) {
      expect(Object.keys(l).every((k) => ['route', 'method', 'pattern', 'status', 'ms', 'rule', 'ws'].includes(k))).toBe(true);
      expect(l.status).toBeGreaterThanOrEqual(400);
      expect(l.rule).toBeTruthy();
    }
  });
});
