import { describe, expect, it } from 'vitest';
import { checkProxyUrl, proxiedBase, proxiedWsBase, proxyAuthHeaders } from '../../../src/lib/proxy-url.ts';
import { testProxyConnection } from '../../../src/ui/settings/test-connection.ts';

describe('proxy URL helpers', () => {
  it.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['https://proxy.example.com/', 'https://proxy.example.com'],
    ['  https://x.example/base//  ', 'https://x.example/base'],
  ])('accepts %j', (text, url) => expect(checkProxyUrl(text)).toEqual({ ok: true, url }));

  it.each([
    ['', /empty/], ['proxy.example.com', /not a valid URL/], ['ftp://x.example', /http:\/\/ or https/],
    ['javascript:alert(1)', /http:\/\/ or https/], ['https://u:p@x.example', /user name or password/],
    ['https://x.example/?token=abc', /query/], ['https://x.example/#t', /fragment/],
  ])('refuses %j', (text, re) => {
    const c = checkProxyUrl(text);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatch(re);
  });

  it('builds route bases for HTTP and WebSocket and refuses route names that are paths', () => {
    expect(proxiedBase('https://p.example/', 'alpaca-paper')).toBe('https://p.example/alpaca-paper');
    expect(proxiedBase('http://127.0.0.1:8787/mnt', 'openai')).toBe('http://127.0.0.1:8787/mnt/openai');
    expect(proxiedWsBase('https://p.example', 'alpaca-data')).toBe('wss://p.example/alpaca-data');
    expect(proxiedWsBase('http://127.0.0.1:1', 'alpaca-paper')).toBe('ws://127.0.0.1:1/alpaca-paper');
    for (const bad of ['../x', 'a/b', 'A', '', 'x-', '%2e']) expect(() => proxiedBase('https://p.example', bad)).toThrow(/route/);
    expect(() => proxiedBase('nope', 'openai')).toThrow(/valid URL/);
    expect(proxyAuthHeaders(undefined)).toEqual({});
    expect(proxyAuthHeaders('t')).toEqual({ authorization: 'Bearer t' });
  });
});

describe('testProxyConnection', () => {
  const ok = { ok: true, service: 'backtester-proxy', mode: 'relay', routes: ['openai'], auth: 'not-needed', origin: 'none' };
  it('reads a health answer and reports problems in sentences', async () => {
    const r = await testProxyConnection({ url: 'http://127.0.0.1:1' }, async () => Response.json(ok));
    expect(r).toEqual({ ok: true, health: ok, problems: [] });
    const v = await testProxyConnection({ url: 'http://127.0.0.1:1', token: 'SECRET' }, async () => Response.json({ ...ok, mode: 'vault', auth: 'missing' }));
    expect(v.ok && v.problems.join(' ')).toMatch(/needs its token/);
  });
  it('says what is wrong with a non-proxy answer or no answer, never echoing the token', async () => {
    const a = await testProxyConnection({ url: 'http://127.0.0.1:1', token: 'SECRET' }, async () => new Response('<html>', { status: 404 }));
    expect(a).toEqual({ ok: false, message: 'http://127.0.0.1:1/health answered HTTP 404 but not as a backtester proxy health check.' });
    const b = await testProxyConnection({ url: 'http://127.0.0.1:1', token: 'SECRET' }, async () => { throw new TypeError('fetch failed SECRET'); });
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).not.toContain('SECRET');
  });
});
