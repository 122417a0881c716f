import { afterEach, describe, expect, it } from 'vitest';
import { createWorker, type WorkerSocket } from '../../../src/proxy/worker.ts';
import { allRoutesTo, fakeUpstream, type FakeUpstream } from './fakes.ts';

/**
 * The Workers entry through its fetch handler. HTTP goes to the fake upstream on 127.0.0.1 with Node's
 * fetch; WebSocketPair and the upgrade fetch are stood in for by connected in-memory sockets that behave
 * like Workers' (accept, send, close, message and close events).
 */

type Listener = (e: never) => void;
class FakeSocket implements WorkerSocket {
  peer!: FakeSocket;
  accepted = false;
  closed: number | null = null;
  private readonly listeners: Record<string, Listener[]> = {};
  private queued: [string, unknown][] = [];
  /** Like Workers: events that arrive before accept() wait for it. */
  accept() {
    this.accepted = true;
    for (const [t, e] of this.queued.splice(0)) this.emit(t, e);
  }
  send(data: string | ArrayBuffer | Uint8Array) {
    const d = typeof data === 'string' ? data : data instanceof Uint8Array ? data.slice().buffer : data;
    queueMicrotask(() => this.peer.emit('message', { data: d }));
  }
  close(code = 1000) {
    if (this.closed !== null) return;
    this.closed = code;
    queueMicrotask(() => this.peer.emit('close', { code, reason: '' }));
  }
  addEventListener(type: string, fn: Listener) {
    (this.listeners[type] ??= []).push(fn);
  }
  emit(type: string, e: unknown) {
    if (!this.accepted) return void this.queued.push([type, e]);
    if (type === 'close' && this.closed === null) this.closed = (e as { code: number }).code;
    for (const fn of this.listeners[type] ?? []) fn(e as never);
  }
}
function pair(): [FakeSocket, FakeSocket] {
  const a = new FakeSocket();
  const b = new FakeSocket();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

const TOKEN = 'proxy-token-0123456789abcdef';
const KEYS = { APCA_API_KEY_ID: 'PKVAULTKEYID0001', APCA_API_SECRET_KEY: 'vault-secret-alpaca-0001' };
const APP = 'https://app.example';

let up: FakeUpstream;
afterEach(async () => {
  await up?.close();
});

function harness() {
  const upstreamWs: { url: string; messages: (string | ArrayBuffer)[]; socket: FakeSocket }[] = [];
  let handedOut: FakeSocket | null = null;
  const worker = createWorker({
    fetch: async (input, init) => {
      const h = new Headers(init?.headers);
      if (h.get('upgrade') !== 'websocket') return fetch(input, init);
      // A stand-in for the upstream stream: greets, then echoes, and records what it received.
      const [proxySide, upstreamSide] = pair();
      upstreamSide.accept();
      const rec = { url: String(input), messages: [] as (string | ArrayBuffer)[], socket: upstreamSide };
      upstreamWs.push(rec);
      upstreamSide.addEventListener('message', (e: { data: string | ArrayBuffer }) => {
        rec.messages.push(e.data);
        upstreamSide.send(e.data);
      });
      queueMicrotask(() => upstreamSide.send('[{"T":"success","msg":"connected"}]'));
      return Object.assign(new Response(null, { status: 200 }), { webSocket: proxySide });
    },
    pair,
    upgraded: (client) => {
      handedOut = client as FakeSocket;
      return new Response(null, { status: 200, headers: { 'x-test-upgraded': '1' } });
    },
  });
  return { worker, upstreamWs, client: () => handedOut! };
}

const env = (extra: Record<string, string> = {}) => ({
  PROXY_CONFIG: JSON.stringify({ allowOrigins: [APP], routes: allRoutesTo(up.url), rateLimit: { burst: 2, perSecond: 0.1 } }),
  ...extra,
});
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('Workers entry', () => {
  it('relays HTTP in vault mode with the held keys, and rate-limits per CF-Connecting-IP', async () => {
    up = await fakeUpstream();
    const { worker } = harness();
    const e = env({ PROXY_TOKEN: TOKEN, ...KEYS });
    const call = (ip: string) => worker.fetch(new Request('https://proxy.example/alpaca-paper/v2/account', { headers: { authorization: `Bearer ${TOKEN}`, 'cf-connecting-ip': ip } }), e);
    const statuses = [];
    for (const ip of ['1.1.1.1', '1.1.1.1', '1.1.1.1', '2.2.2.2']) statuses.push((await call(ip)).status);
    expect(statuses).toEqual([200, 200, 429, 200]);
    expect(up.seen).toHaveLength(3);
    expect(up.seen[0]!.headers['apca-api-key-id']).toBe(KEYS.APCA_API_KEY_ID);
    expect(up.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses what the Node entry refuses, and fails closed when misconfigured', async () => {
    up = await fakeUpstream();
    const { worker } = harness();
    const r = (path: string, init: RequestInit = {}, e = env()) => worker.fetch(new Request(`https://proxy.example${path}`, init), e);
    expect((await r('/alpaca-paper/v2/account', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await r('/alpaca-paper//v2/account')).status).toBe(400);
    expect((await r('/alpaca-paper/v2/accounts')).status).toBe(403);
    expect((await r('/169.254.169.254/latest')).status).toBe(404);
    expect((await r('/openai/v1/chat/completions', { method: 'POST', body: 'x'.repeat(70_000) })).status).toBe(413);
    const noToken = await r('/alpaca-paper/v2/account', {}, env(KEYS));
    expect(noToken.status).toBe(500);
    const msg = await noToken.text();
    expect(msg).toContain('PROXY_TOKEN');
    expect(msg).not.toContain(KEYS.APCA_API_SECRET_KEY);
    expect((await r('/health', {}, { PROXY_CONFIG: '{not json' })).status).toBe(500);
    expect(up.seen).toEqual([]);
  });

  it('relays an Alpaca stream through WebSocketPair, filling in vault keys', async () => {
    up = await fakeUpstream();
    const h = harness();
    const res = await h.worker.fetch(new Request(`https://proxy.example/alpaca-paper/stream?access_token=${TOKEN}`, { headers: { upgrade: 'websocket', origin: APP } }), env({ PROXY_TOKEN: TOKEN, ...KEYS }));
    expect(res.headers.get('x-test-upgraded')).toBe('1');
    const client = h.client();
    const got: unknown[] = [];
    client.addEventListener('message', (e: { data: string | ArrayBuffer }) => got.push(typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data)));
    client.accept();
    await tick();
    client.send(new TextEncoder().encode(JSON.stringify({ action: 'auth', key: 'x', secret: 'y' })));
    client.send('{"action":"listen","data":{"streams":["trade_updates"]}}');
    await tick();
    const [u] = h.upstreamWs;
    expect(u!.url).toBe(`${up.url}/stream`);
    expect(JSON.parse(new TextDecoder().decode(u!.messages[0] as ArrayBuffer))).toEqual({ action: 'auth', key: KEYS.APCA_API_KEY_ID, secret: KEYS.APCA_API_SECRET_KEY });
    expect(u!.messages[1]).toBe('{"action":"listen","data":{"streams":["trade_updates"]}}');
    expect(got[0]).toBe('[{"T":"success","msg":"connected"}]');
    expect(got).toHaveLength(3);
    u!.socket.close(1001);
    await tick();
    expect((client as FakeSocket).closed).toBe(1001);
  });

  it('refuses a stream that is not allow-listed or lacks the token, before opening anything upstream', async () => {
    up = await fakeUpstream();
    const h = harness();
    const e = env({ PROXY_TOKEN: TOKEN, ...KEYS });
    const a = await h.worker.fetch(new Request(`https://proxy.example/alpaca-paper/v2/account?access_token=${TOKEN}`, { headers: { upgrade: 'websocket' } }), e);
    const b = await h.worker.fetch(new Request('https://proxy.example/alpaca-paper/stream', { headers: { upgrade: 'websocket' } }), e);
    expect([a.status, b.status]).toEqual([403, 401]);
    expect(h.upstreamWs).toEqual([]);
  });
});
