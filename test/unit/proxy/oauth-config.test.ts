import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyConfigFromArgs } from '../../../src/cli/proxy.ts';
import { resolveConfig } from '../../../src/proxy/config.ts';
import { checkTarget, compilePattern } from '../../../src/proxy/target.ts';
import { tokenEquals } from '../../../src/proxy/auth.ts';
import { allRoutesTo, fakeUpstream, startProxy, type FakeUpstream } from './fakes.ts';

const TOKEN = 'proxy-token-0123456789abcdef';
const APP = 'https://app.example';
const TS = { TRADESTATION_CLIENT_ID: 'ts-client-id', TRADESTATION_CLIENT_SECRET: 'ts-client-SECRET-42' };

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c();
});
async function setup(env: Record<string, string>) {
  const up: FakeUpstream = await fakeUpstream();
  open.push(up.close);
  const h = await startProxy({ allowOrigins: [APP], routes: allRoutesTo(up.url) }, env);
  open.push(h.close);
  return { up, h, base: h.node.url };
}

describe('TradeStation OAuth through the proxy', () => {
  it('redirects to sign-in with the client id (never the secret), only for redirect URIs on allowed origins', async () => {
    const { base, up } = await setup(TS);
    const r = await fetch(`${base}/tradestation/oauth/authorize?redirect_uri=${encodeURIComponent(`${APP}/#/live`)}&state=s1`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const to = new URL(r.headers.get('location')!);
    expect(to.origin + to.pathname).toBe(`${up.url}/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ response_type: 'code', client_id: 'ts-client-id', redirect_uri: `${APP}/#/live`, state: 's1', audience: 'https://api.tradestation.com' });
    expect(to.href).not.toContain('SECRET');
    const bad = await fetch(`${base}/tradestation/oauth/authorize?redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, { redirect: 'manual' });
    expect(bad.status).toBe(403);
    expect(up.seen).toEqual([]);
  });

  it('completes the code exchange and the refresh with the secret it holds', async () => {
    const { base, up } = await setup(TS);
    const a = await fetch(`${base}/tradestation-sim/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', code: 'c0de', redirect_uri: `${APP}/cb` }) });
    expect(a.status).toBe(200);
    expect((await a.json()).access_token).toBe('ts-access-1');
    const sent = Object.fromEntries(new URLSearchParams(up.seen[0]!.body));
    expect(sent).toEqual({ client_id: 'ts-client-id', client_secret: 'ts-client-SECRET-42', grant_type: 'authorization_code', code: 'c0de', redirect_uri: `${APP}/cb` });
    await fetch(`${base}/tradestation/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=r1' });
    expect(new URLSearchParams(up.seen[1]!.body).get('refresh_token')).toBe('r1');
    const bad = await fetch(`${base}/tradestation/oauth/token`, { method: 'POST', body: 'grant_type=password&username=x' });
    expect(bad.status).toBe(400);
    expect(up.seen).toHaveLength(2);
  });

  it('in vault mode mints an access token from the held refresh token once and injects it', async () => {
    const { base, up } = await setup({ ...TS, TRADESTATION_REFRESH_TOKEN: 'held-refresh', PROXY_TOKEN: TOKEN });
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${base}/tradestation/v3/brokerage/accounts`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(200);
    }
    expect(up.seen.map((s) => s.url)).toEqual(['/oauth/token', '/v3/brokerage/accounts', '/v3/brokerage/accounts']);
    expect(new URLSearchParams(up.seen[0]!.body).get('refresh_token')).toBe('held-refresh');
    expect(up.seen[1]!.headers.authorization).toBe('Bearer ts-access-1');
  });
});

describe('config', () => {
  it('narrows an allow-list but cannot widen it', async () => {
    const c = resolveConfig({ routes: { 'alpaca-paper': { allow: ['GET /v2/account'] } } }, {});
    expect(c.routes.get('alpaca-paper')!.patterns.map((p) => p.text)).toEqual(['GET /v2/account']);
    expect(() => resolveConfig({ routes: { 'alpaca-paper': { allow: ['GET /v2/anything'] } } }, {})).toThrow(/routes\.alpaca-paper\.allow.*built-in/);
    expect(resolveConfig({ routes: { openai: { enabled: false } } }, {}).routes.has('openai')).toBe(false);
  });

  it('refuses bad origins, upstreams, unknown fields and routes with the field named', () => {
    expect(() => resolveConfig({ allowOrigins: ['https://app.example/'] }, {})).toThrow(/allowOrigins\.0/);
    expect(() => resolveConfig({ routes: { openai: { upstream: 'file:///etc/passwd' } } }, {})).toThrow(/routes\.openai\.upstream/);
    expect(() => resolveConfig({ routes: { 'evil-route': {} } }, {})).toThrow(/routes/);
    expect(() => resolveConfig({ allowOrigin: [] }, {})).toThrow(/Invalid proxy config/);
  });

  it('refuses keys without PROXY_TOKEN and a short token, naming variables but never values', () => {
    const e = (() => {
      try {
        resolveConfig({}, { OPENAI_API_KEY: 'sk-value-123' });
      } catch (x) {
        return (x as Error).message;
      }
      return '';
    })();
    expect(e).toContain('OPENAI_API_KEY');
    expect(e).not.toContain('sk-value-123');
    expect(() => resolveConfig({}, { PROXY_TOKEN: 'short' })).toThrow(/16 characters/);
    expect(resolveConfig({}, { PROXY_TOKEN: TOKEN }).token).toBe(TOKEN);
  });

  it('re-points a route\'s stream with its upstream unless told otherwise', () => {
    const c = resolveConfig({ routes: { 'alpaca-data': { upstream: 'http://127.0.0.1:5' } } }, {});
    expect(c.routes.get('alpaca-data')!.wsUpstream.href).toBe('ws://127.0.0.1:5/');
    expect(resolveConfig({}, {}).routes.get('alpaca-data')!.wsUpstream.href).toBe('wss://stream.data.alpaca.markets/');
  });

  it('pattern and target checks agree on edge cases', () => {
    const p = compilePattern('POST /v1beta/models/{model}:generateContent');
    expect(p.re.test('/v1beta/models/gemini-2.0-flash:generateContent')).toBe(true);
    expect(p.re.test('/v1beta/models/a/b:generateContent')).toBe(false);
    expect(p.re.test('/v1beta/models/x:y:generateContent')).toBe(false);
    expect(() => compilePattern('TRACE /x')).toThrow(/METHOD/);
    expect(checkTarget('/alpaca-data/v2/stocks/BRK.B/bars?timeframe=1Min')).toEqual({ ok: true, route: 'alpaca-data', path: '/v2/stocks/BRK.B/bars', query: '?timeframe=1Min' });
    expect(checkTarget('/openai')).toEqual({ ok: true, route: 'openai', path: '/', query: '' });
  });

  it('compares tokens without short-circuiting on length or prefix', () => {
    expect(tokenEquals(TOKEN, TOKEN)).toBe(true);
    for (const t of ['', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), 'x'.repeat(TOKEN.length)]) expect(tokenEquals(t, TOKEN)).toBe(false);
  });
});

describe('npm run proxy', () => {
  it('reads --config and --allow-origin, and explains bad flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-cfg-'));
    const file = join(dir, 'proxy.json');
    writeFileSync(file, JSON.stringify({ allowOrigins: [APP], routes: { openai: { upstream: 'http://127.0.0.1:11434' } } }));
    const r = proxyConfigFromArgs(['--config', file, '--allow-origin', 'http://127.0.0.1:5173', '--port', '0'], {});
    expect([...r.config.allowOrigins]).toEqual([APP, 'http://127.0.0.1:5173']);
    expect(r.config.routes.get('openai')!.upstream.href).toBe('http://127.0.0.1:11434/');
    expect([r.port, r.host]).toEqual([0, '127.0.0.1']);
    expect(() => proxyConfigFromArgs(['--port', '99999'], {})).toThrow(/--port/);
    expect(() => proxyConfigFromArgs(['--config', join(dir, 'missing.json')], {})).toThrow(/cannot read --config/);
    writeFileSync(file, '{');
    expect(() => proxyConfigFromArgs(['--config', file], {})).toThrow(/not valid JSON/);
  });

  it('starts, answers /health and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/proxy.ts', '--port', '0'], {
      cwd: join(import.meta.dirname, '../../..'), env: { ...process.env, PROXY_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 50_000);
    let err = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+),/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`proxy exited early: ${err}`)));
    });
    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ ok: true, mode: 'relay' });
    const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await code).toBe(0);
    clearTimeout(kill);
  }, 60_000);
});
