import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { resolveConfig } from '../../../src/proxy/config.ts';
import { createProxy } from '../../../src/proxy/handler.ts';
import { listenNode } from '../../../src/proxy/node.ts';
import { allRoutesTo, fakeUpstream, startProxy, type FakeUpstream } from './fakes.ts';

const TOKEN = 'proxy-token-0123456789abcdef';
const KEYS = { key: 'PKVAULTKEYID0001', secret: 'vault-secret-alpaca-0001' };
const APP = 'https://app.example';

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string> = {}, keys?: typeof KEYS) {
  const up: FakeUpstream = await fakeUpstream(keys);
  open.push(up.close);
  const h = await startProxy({ allowOrigins: [APP], routes: allRoutesTo(up.url) }, env);
  open.push(h.close);
  return { up, h, ws: h.node.url.replace('http', 'ws') };
}

const opened = (ws: WebSocket) => new Promise<void>((res, rej) => {
  ws.once('open', () => res());
  ws.once('error', rej);
  ws.once('unexpected-response', (_q, r) => rej(new Error(`HTTP ${r.statusCode}`)));
});

/** Opens a client and collects what it receives; `next()` waits for the next message. */
function client(url: string, opts: ConstructorParameters<typeof WebSocket>[2] = {}) {
  const ws = new WebSocket(url, opts);
  const inbox: { data: string; binary: boolean }[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d: Buffer, binary) => {
    inbox.push({ data: d.toString('utf8'), binary });
    waiters.shift()?.();
  });
  open.push(async () => ws.terminate());
  return {
    ws,
    opened: opened(ws),
    next: async () => {
      if (inbox.length === 0) await new Promise<void>((r) => waiters.push(r));
      return inbox.shift()!;
    },
  };
}

describe('WebSocket relay (Node entry)', () => {
  it('relays Alpaca market data in relay mode: greeting, auth, subscribe, text and binary frames', async () => {
    const { up, ws } = await setup({}, { key: 'PKUSER', secret: 'user-secret' });
    const c = client(`${ws}/alpaca-data/v2/iex`);
    await c.opened;
    expect(JSON.parse((await c.next()).data)).toEqual([{ T: 'success', msg: 'connected' }]);
    c.ws.send(JSON.stringify({ action: 'auth', key: 'PKUSER', secret: 'user-secret' }));
    expect(JSON.parse((await c.next()).data)).toEqual([{ T: 'success', msg: 'authenticated' }]);
    const sub = JSON.stringify({ action: 'subscribe', bars: ['SPY'] });
    c.ws.send(sub);
    expect(await c.next()).toEqual({ data: sub, binary: false });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.next()).toEqual({ data: '\u0001\u0002\u0003', binary: true });
    expect(up.wsSeen[0]!.url).toBe('/v2/iex');
  });

  it('fills in the vault keys in Alpaca\'s auth message (trade_updates), with the token from the query for browsers', async () => {
    const { up, ws, h } = await setup({ PROXY_TOKEN: TOKEN, APCA_API_KEY_ID: KEYS.key, APCA_API_SECRET_KEY: KEYS.secret }, KEYS);
    const c = client(`${ws}/alpaca-paper/stream?access_token=${TOKEN}`, { headers: { origin: APP } });
    await c.opened;
    await c.next();
    c.ws.send(Buffer.from(JSON.stringify({ action: 'auth', key: 'placeholder', secret: 'placeholder' })), { binary: true });
    expect(JSON.parse((await c.next()).data)).toEqual([{ T: 'success', msg: 'authenticated' }]);
    c.ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    await c.next();
    expect(up.wsSeen[0]!.url).toBe('/stream');
    expect(up.wsSeen[0]!.headers.origin).toBeUndefined();
    expect(Buffer.isBuffer(up.wsSeen[0]!.messages[0])).toBe(true);
    c.ws.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(JSON.stringify(h.logs)).not.toContain(TOKEN);
    expect(h.logs.at(-1)).toMatchObject({ route: 'alpaca-paper', pattern: 'WS /stream', status: 101, ws: true });
  });

  it('refuses streams outside the allow-list, without the token, or from other origins; the upstream never sees them', async () => {
    const { up, ws } = await setup({ PROXY_TOKEN: TOKEN, APCA_API_KEY_ID: KEYS.key, APCA_API_SECRET_KEY: KEYS.secret });
    const attempts = [
      [`${ws}/alpaca-paper/v2/account?access_token=${TOKEN}`, {}, 'HTTP 403'],
      [`${ws}/alpaca-paper/stream`, {}, 'HTTP 401'],
      [`${ws}/alpaca-paper/stream?access_token=wrong-wrong`, {}, 'HTTP 401'],
      [`${ws}/alpaca-paper/stream?access_token=${TOKEN}`, { headers: { origin: 'https://evil.example' } }, 'HTTP 403'],
      [`${ws}/openai/v1/chat/completions?access_token=${TOKEN}`, {}, 'HTTP 403'],
    ] as const;
    for (const [url, opts, err] of attempts) await expect(client(url, opts).opened).rejects.toThrow(err);
    expect(up.wsSeen).toEqual([]);
  });

  it('refuses sub-protocols and query parameters a route does not allow-list; the upstream never sees them', async () => {
    const { up, ws } = await setup();
    const offered = new WebSocket(`${ws}/alpaca-data/v2/test`, ['json.v2']);
    open.push(async () => offered.terminate());
    await expect(opened(offered)).rejects.toThrow('HTTP 400');
    await expect(client(`${ws}/alpaca-data/v2/iex?symbols=SPY`).opened).rejects.toThrow('HTTP 400');
    expect(up.wsSeen).toEqual([]);
    // The proxy token's own parameter is accepted and stripped: the upstream sees a bare path.
    const c = client(`${ws}/alpaca-data/v2/iex?access_token=ignored-in-relay-mode`);
    await c.opened;
    expect(up.wsSeen[0]!.url).toBe('/v2/iex');
  });

  it('passes an allow-listed sub-protocol and query parameter on, and tells the client the one the upstream picked', async () => {
    const up = await fakeUpstream();
    open.push(up.close);
    const config = resolveConfig({ routes: allRoutesTo(up.url) }, {});
    const data = config.routes.get('alpaca-data')!;
    // No built-in route takes either today; this pins the mechanism for one that would.
    (config.routes as Map<string, typeof data>).set('alpaca-data', { ...data, spec: { ...data.spec, ws: { protocols: ['json.v2', 'msgpack.v2'], query: ['format'] } } });
    const node = await listenNode(createProxy({ config, log: () => undefined }), { port: 0, host: '127.0.0.1' });
    open.push(node.close);
    const c = new WebSocket(`${node.url.replace('http', 'ws')}/alpaca-data/v2/test?format=json&access_token=dropped`, ['json.v2', 'msgpack.v2']);
    open.push(async () => c.terminate());
    await opened(c);
    expect(c.protocol).toBe('json.v2');
    expect(up.wsSeen[0]!.url).toBe('/v2/test?format=json');
    expect(up.wsSeen[0]!.headers['sec-websocket-protocol']).toBe('json.v2,msgpack.v2');
    // One offered protocol outside the list refuses the whole upgrade.
    const mixed = new WebSocket(`${node.url.replace('http', 'ws')}/alpaca-data/v2/test`, ['json.v2', 'json.v3']);
    open.push(async () => mixed.terminate());
    await expect(opened(mixed)).rejects.toThrow('HTTP 400');
    expect(up.wsSeen).toHaveLength(1);
  });

  it('closes the client when the upstream closes', async () => {
    const { up, ws } = await setup();
    const c = client(`${ws}/alpaca-data/v2/iex`);
    await c.opened;
    await c.next();
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    await up.close();
    expect(await closed).toBeGreaterThanOrEqual(1000);
  });
});
