import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { resolveConfig, type ProxyConfigInput } from '../../../src/proxy/config.ts';
import { createProxy, type Proxy } from '../../../src/proxy/handler.ts';
import type { AccessLog } from '../../../src/proxy/log.ts';
import { listenNode, type NodeProxy } from '../../../src/proxy/node.ts';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A fake broker / LLM upstream on 127.0.0.1 speaking plain HTTP and WebSocket. Its behaviour is chosen by
 * the `fake` query parameter: redirect, slow, status=NNN; anything else echoes what it saw as JSON.
 * The WebSocket side behaves like Alpaca's streams: a `connected` greeting, then `auth` checked against
 * `keys` (if set), then it echoes every other message with the same frame type.
 */
export async function fakeUpstream(keys?: { key: string; secret: string }) {
  const seen: Seen[] = [];
  const wsSeen: { url: string; messages: (string | Buffer)[]; headers: IncomingMessage['headers'] }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const q = new URL(req.url!, 'http://x').searchParams;
      // Misbehaviour is asked for through an allowed path (the proxy relays no query name outside its allow-list).
      const fake = /\/fake-(redirect|slow)$/.exec(req.url!.split('?')[0]!)?.[1] ?? null;
      if (fake === 'redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (fake === 'slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
      if (req.url!.startsWith('/oauth/token')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'ts-access-1', expires_in: 1200, echo: body }));
      }
      const status = Number(q.get('status') ?? 200);
      res.writeHead(status, {
        'content-type': 'application/json', 'x-upstream': 'fake', 'set-cookie': 'session=upstream-secret', 'x-ratelimit-remaining': '199',
      });
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws: WebSocket, req) => {
    const rec = { url: req.url!, messages: [] as (string | Buffer)[], headers: req.headers };
    wsSeen.push(rec);
    ws.send(JSON.stringify([{ T: 'success', msg: 'connected' }]));
    ws.on('message', (d: Buffer, binary) => {
      const m = binary ? d : d.toString('utf8');
      rec.messages.push(m);
      const text = d.toString('utf8');
      if (text.includes('"auth"')) {
        const a = JSON.parse(text) as { key: string; secret: string };
        const ok = !keys || (a.key === keys.key && a.secret === keys.secret);
        ws.send(JSON.stringify([ok ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 402, msg: 'auth failed' }]));
        return;
      }
      ws.send(d, { binary });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    wsSeen,
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export type FakeUpstream = Awaited<ReturnType<typeof fakeUpstream>>;

/** Every route pointed at the fake (HTTP, streams and TradeStation's sign-in server). */
export function allRoutesTo(url: string): ProxyConfigInput['routes'] {
  const names = ['alpaca-paper', 'alpaca-live', 'alpaca-data', 'tradier', 'tradier-sandbox', 'tradestation', 'tradestation-sim', 'openai', 'anthropic', 'gemini'] as const;
  return Object.fromEntries(names.map((n) => [n, { upstream: url, authUpstream: url }]));
}

export interface Harness {
  proxy: Proxy;
  node: NodeProxy;
  logs: AccessLog[];
  close(): Promise<void>;
}

export async function startProxy(config: ProxyConfigInput, env: Record<string, string> = {}): Promise<Harness> {
  const logs: AccessLog[] = [];
  const proxy = createProxy({ config: resolveConfig(config, env), log: (l) => logs.push(l) });
  const node = await listenNode(proxy, { port: 0, host: '127.0.0.1' });
  node.server.unref();
  return { proxy, node, logs, close: () => node.close() };
}

/**
 * Sends bytes exactly as written (fetch and http.request would normalise or refuse hostile targets
 * before they left the test) and returns the status code and body.
 */
export function rawRequest(port: number, text: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.setTimeout(5000, () => s.destroy(new Error('raw request timed out')));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = all.split('\r\n\r\n', 2);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!m) reject(new Error(`no HTTP status in ${JSON.stringify(all.slice(0, 80))}`));
      else resolve({ status: Number(m[1]), head, body });
    });
    s.write(text);
  });
}

/** A request line plus headers, closed after the answer. */
export const raw = (line: string, headers: Record<string, string> = {}, body = '') =>
  `${line}\r\nHost: proxy.test\r\nConnection: close\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;
