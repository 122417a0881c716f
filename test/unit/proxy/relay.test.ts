import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProxyHealthSchema } from '../../../src/schema/index.ts';
import { BUILTIN_ROUTES } from '../../../src/proxy/routes.ts';
import { allRoutesTo, fakeUpstream, raw, rawRequest, startProxy, type FakeUpstream, type Harness } from './fakes.ts';

const TOKEN = 'proxy-token-0123456789abcdef';
const APP = 'https://app.example';
const VAULT = {
  PROXY_TOKEN: TOKEN, APCA_API_KEY_ID: 'PKVAULTKEYID0001', APCA_API_SECRET_KEY: 'vault-secret-alpaca-0001',
  OPENAI_API_KEY: 'sk-vault-openai-0001', TRADIER_TOKEN: 'tradier-vault-0001', ANTHROPIC_API_KEY: 'sk-ant-vault-0001',
  GEMINI_API_KEY: 'gemini-vault-0001',
};

let up: FakeUpstream;
let h: Harness;
const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string> = {}, extra: object = {}) {
  up = await fakeUpstream();
  open.push(up.close);
  h = await startProxy({ allowOrigins: [APP], routes: allRoutesTo(up.url), maxBodyBytes: 1024, ...extra }, env);
  open.push(h.close);
  return h.node.url;
}

describe('relay mode', () => {
  it('relays an allowed call with status, headers and body unchanged, and only the allowed request headers', async () => {
    const base = await setup();
    const res = await fetch(`${base}/alpaca-paper/v2/account`, {
      headers: {
        'apca-api-key-id': 'PKUSER', 'apca-api-secret-key': 'user-secret', cookie: 'sid=1', 'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example', authorization: 'Bearer not-for-alpaca', accept: 'application/json',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('fake');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('199');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toEqual({ method: 'GET', url: '/v2/account', body: '' });
    const seen = up.seen[0]!;
    expect(seen.headers['apca-api-key-id']).toBe('PKUSER');
    expect(seen.headers['apca-api-secret-key']).toBe('user-secret');
    expect(seen.headers.accept).toBe('application/json');
    expect(seen.headers.host).toBe(new URL(up.url).host);
    for (const k of ['cookie', 'x-forwarded-for', 'x-forwarded-host', 'authorization']) expect(seen.headers[k]).toBeUndefined();
  });

  it('relays a POST body byte for byte (fixed length and chunked) and an upstream error status', async () => {
    const base = await setup();
    const order = JSON.stringify({ symbol: 'SPY', qty: '1', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'sb-1-abc' });
    const a = await fetch(`${base}/alpaca-paper/v2/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: order });
    expect(a.status).toBe(200);
    expect(up.seen[0]).toMatchObject({ method: 'POST', url: '/v2/orders', body: order });
    const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(order.slice(0, 10))); c.enqueue(new TextEncoder().encode(order.slice(10))); c.close(); } });
    await fetch(`${base}/alpaca-paper/v2/orders`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(up.seen[1]!.body).toBe(order);
    const e = await fetch(`${base}/alpaca-paper/v2/orders?status=422`);
    expect(e.status).toBe(422);
    expect(up.seen[2]!.url).toBe('/v2/orders?status=422');
  });

  it('relays only the query names a pattern allows, re-serialised from what was checked', async () => {
    const base = await setup();
    const ok = await fetch(`${base}/alpaca-data/v2/stocks/bars?symbols=SPY,QQQ&timeframe=1Min&page_token=a%2Bb`);
    expect(ok.status).toBe(200);
    expect(up.seen[0]!.url).toBe('/v2/stocks/bars?symbols=SPY%2CQQQ&timeframe=1Min&page_token=a%2Bb');
    for (const [target, name] of [
      ['/alpaca-paper/v2/account?redirect=http://169.254.169.254/', 'redirect'],
      ['/alpaca-paper/v2/orders?status=open&limit=5&evil=1', 'evil'],
      ['/gemini/v1beta/models/m:streamGenerateContent?alt=sse&key=AIzaLEAKED', 'key'],
      ['/alpaca-paper/v2/orders;status=open?status=open', null],
      ['/tradier/v1/markets/history?symbol=SPY&symbol%00=x', 'symbol\u0000'],
    ] as const) {
      const r = await fetch(`${base}${target}`, { method: target.includes('Generate') ? 'POST' : 'GET' });
      expect(r.status, target).toBe(400);
      const body = await r.json() as { rule: string; error: string };
      if (name !== null) {
        expect(body.rule).toBe('query');
        expect(body.error).toContain(JSON.stringify(name));
      }
    }
    expect(up.seen).toHaveLength(1);
    expect(JSON.stringify(h.logs)).not.toContain('LEAKED');
  });

  it('every built-in query list belongs to an HTTP pattern of its route', () => {
    for (const [name, spec] of Object.entries(BUILTIN_ROUTES)) {
      for (const pattern of Object.keys(spec.query ?? {})) {
        expect(spec.allow, `${name}: ${pattern}`).toContain(pattern);
        expect(pattern.startsWith('WS '), `${name}: ${pattern}`).toBe(false);
      }
    }
  });

  it('looks an order up by client id with its query intact', async () => {
    const base = await setup();
    const r = await fetch(`${base}/alpaca-paper/v2/orders:by_client_order_id?client_order_id=sb-7-0f3a`);
    expect(r.status).toBe(200);
    expect(up.seen[0]!.url).toBe('/v2/orders:by_client_order_id?client_order_id=sb-7-0f3a');
  });

  it('relays each provider\'s own auth header and nothing else', async () => {
    const base = await setup();
    await fetch(`${base}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-user', 'openai-organization': 'org-1', 'x-api-key': 'no' }, body: '{}' });
    await fetch(`${base}/anthropic/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'sk-ant-user', 'anthropic-version': '2023-06-01', authorization: 'Bearer no' }, body: '{}' });
    await fetch(`${base}/gemini/v1beta/models/gemini-2.0-flash:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': 'g-user' }, body: '{}' });
    await fetch(`${base}/tradier/v1/accounts/VA000001/orders`, { method: 'POST', headers: { authorization: 'Bearer tr-user', 'content-type': 'application/x-www-form-urlencoded' }, body: 'class=equity&symbol=SPY' });
    const [o, a, g, t] = up.seen;
    expect([o!.headers.authorization, o!.headers['openai-organization'], o!.headers['x-api-key']]).toEqual(['Bearer sk-user', 'org-1', undefined]);
    expect([a!.headers['x-api-key'], a!.headers['anthropic-version'], a!.headers.authorization]).toEqual(['sk-ant-user', '2023-06-01', undefined]);
    expect([g!.url, g!.headers['x-goog-api-key']]).toEqual(['/v1beta/models/gemini-2.0-flash:generateContent', 'g-user']);
    expect([t!.url, t!.headers.authorization, t!.body]).toEqual(['/v1/accounts/VA000001/orders', 'Bearer tr-user', 'class=equity&symbol=SPY']);
  });

  it('answers CORS preflights for allowed origins and tags responses for them', async () => {
    const base = await setup();
    const pre = await fetch(`${base}/alpaca-paper/v2/orders`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'apca-api-key-id,content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    expect(pre.headers.get('access-control-allow-headers')).toContain('apca-api-key-id');
    const r = await fetch(`${base}/alpaca-paper/v2/clock`, { headers: { origin: APP } });
    expect(r.headers.get('access-control-allow-origin')).toBe(APP);
    expect(r.headers.get('vary')).toContain('Origin');
    expect(up.seen).toHaveLength(1);
  });

  it('never follows an upstream redirect (502) and never passes its Location on', async () => {
    const base = await setup();
    const r = await fetch(`${base}/alpaca-paper/v2/assets/fake-redirect`, { redirect: 'manual' });
    expect(r.status).toBe(502);
    expect(r.headers.get('location')).toBeNull();
    expect(await r.json()).toMatchObject({ rule: 'redirect' });
    expect(up.seen).toHaveLength(1);
  });

  it('times out a slow upstream with 504', async () => {
    const base = await setup({}, { upstreamTimeoutMs: 150 });
    const r = await fetch(`${base}/alpaca-paper/v2/assets/fake-slow`);
    expect(r.status).toBe(504);
    expect(await r.json()).toMatchObject({ rule: 'upstream-timeout' });
  });

  it('answers 502 when the upstream is down', async () => {
    const base = await setup({}, { routes: { 'alpaca-paper': { upstream: 'http://127.0.0.1:9' } } });
    const r = await fetch(`${base}/alpaca-paper/v2/clock`);
    expect(r.status).toBe(502);
    expect(await r.json()).toMatchObject({ rule: 'upstream-error' });
  });

  it('rate-limits each client with a token bucket: 429 with Retry-After', async () => {
    const base = await setup({}, { rateLimit: { burst: 3, perSecond: 0.5 } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${base}/alpaca-paper/v2/clock`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const r = await fetch(`${base}/alpaca-paper/v2/clock`);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(up.seen).toHaveLength(3);
  });

  it('health says relay mode, lists routes and how the caller\'s origin stands', async () => {
    const base = await setup();
    const a = ProxyHealthSchema.parse(await (await fetch(`${base}/health`)).json());
    expect(a).toMatchObject({ mode: 'relay', auth: 'not-needed', origin: 'none' });
    expect(a.routes).toContain('alpaca-paper');
    const b = await fetch(`${base}/health`, { headers: { origin: 'https://other.example' } });
    expect(b.headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect(await b.json()).toMatchObject({ origin: 'refused' });
    expect(up.seen).toHaveLength(0);
  });

  it('writes one structured access-log line per request', async () => {
    const base = await setup();
    await fetch(`${base}/alpaca-paper/v2/orders/abc-1?nested=secret-query`);
    expect(h.logs).toEqual([{ route: 'alpaca-paper', method: 'GET', pattern: 'GET /v2/orders/{id}', status: 200, ms: expect.any(Number) }]);
  });
});

describe('vault mode', () => {
  it('injects the held keys, drops the caller\'s, and never forwards the proxy token', async () => {
    const base = await setup(VAULT);
    const auth = { authorization: `Bearer ${TOKEN}` };
    await fetch(`${base}/alpaca-paper/v2/account`, { headers: { ...auth, 'apca-api-key-id': 'PKATTACKER', 'apca-api-secret-key': 'x' } });
    await fetch(`${base}/openai/v1/chat/completions`, { method: 'POST', headers: auth, body: '{}' });
    await fetch(`${base}/tradier/v1/markets/clock`, { headers: auth });
    await fetch(`${base}/anthropic/v1/messages`, { method: 'POST', headers: { ...auth, 'anthropic-version': '2023-06-01' }, body: '{}' });
    const [al, oa, tr, an] = up.seen;
    expect([al!.headers['apca-api-key-id'], al!.headers['apca-api-secret-key'], al!.headers.authorization]).toEqual([VAULT.APCA_API_KEY_ID, VAULT.APCA_API_SECRET_KEY, undefined]);
    expect(oa!.headers.authorization).toBe(`Bearer ${VAULT.OPENAI_API_KEY}`);
    expect(tr!.headers.authorization).toBe(`Bearer ${VAULT.TRADIER_TOKEN}`);
    expect(an!.headers['x-api-key']).toBe(VAULT.ANTHROPIC_API_KEY);
    expect(an!.headers['anthropic-version']).toBeUndefined();
  });

  it('health reports the token state without revealing anything', async () => {
    const base = await setup(VAULT);
    const states = [];
    for (const headers of [{}, { authorization: 'Bearer nope-nope-nope' }, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const text = await (await fetch(`${base}/health`, { headers })).text();
      for (const v of Object.values(VAULT)) expect(text).not.toContain(v);
      states.push(ProxyHealthSchema.parse(JSON.parse(text)).auth);
    }
    expect(states).toEqual(['missing', 'wrong', 'ok']);
  });

  it('no key or token appears in the access log or on the console', async () => {
    const spies = (['log', 'error', 'warn', 'info'] as const).map((m) => vi.spyOn(console, m));
    const base = await setup(VAULT);
    await fetch(`${base}/alpaca-paper/v2/account`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await fetch(`${base}/alpaca-paper/v2/account`, { headers: { authorization: 'Bearer wrong-wrong-wrong' } });
    await fetch(`${base}/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"messages":"private prompt"}' });
    const printed = spies.flatMap((s) => s.mock.calls.flat().map(String)).join('\n');
    const text = JSON.stringify(h.logs) + printed;
    for (const v of [...Object.values(VAULT), 'wrong-wrong-wrong', 'private prompt']) expect(text).not.toContain(v);
    expect(h.logs.map((l) => l.status)).toEqual([200, 401, 200]);
    vi.restoreAllMocks();
  });
});

describe('header injection never reaches the upstream', () => {
  it('a Host header pointing at a metadata IP is ignored; the route\'s upstream is used', async () => {
    const base = await setup();
    const r = await rawRequest(h.node.port, raw('GET /alpaca-paper/v2/clock HTTP/1.1').replace('Host: proxy.test', 'Host: 169.254.169.254'));
    expect(r.status).toBe(200);
    expect(up.seen[0]!.headers.host).toBe(new URL(up.url).host);
    expect(base).toBeTruthy();
  });
});
