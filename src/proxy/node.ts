import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Proxy, WsPlan } from './handler.ts';

/**
 * The Node entry: node:http in front of the Web-standard handler, plus a WebSocket relay (the `ws`
 * package) for upgrades. It adds nothing to the rules; it only converts between Node and Fetch objects
 * and hands the raw request target to the handler so `..` tricks are judged before any URL parser.
 */

export interface NodeProxy {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Largest WebSocket message relayed from a client (subscriptions are small; bars come the other way). */
const WS_MAX_CLIENT_MESSAGE = 64 * 1024;
const WS_MAX_UPSTREAM_MESSAGE = 16 * 1024 * 1024;

function toHeaders(req: IncomingMessage): Headers | null {
  const h = new Headers();
  try {
    for (let i = 0; i < req.rawHeaders.length; i += 2) h.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  } catch {
    return null;
  }
  return h;
}

function toRequest(req: IncomingMessage, headers: Headers): Request {
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
  // The URL is a placeholder: the handler judges the raw target, and the upstream URL is built from the route.
  return new Request('http://proxy.local/', {
    method, headers, body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(res: ServerResponse, r: Response): Promise<void> {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    headers[k] = v;
  });
  res.writeHead(r.status, headers);
  if (!r.body) {
    res.end();
    return;
  }
  // Chunk by chunk with backpressure; a client that goes away cancels the upstream body.
  const reader = r.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((ok) => {
        res.once('drain', ok);
        res.once('close', ok);
      });
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function plainRefusal(status: number, body: string): string {
  return `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

async function refuseSocket(socket: Socket, r: Response): Promise<void> {
  const body = await r.text();
  const lines = [`HTTP/1.1 ${r.status} Refused`];
  r.headers.forEach((v, k) => {
    if (k !== 'content-length') lines.push(`${k}: ${v}`);
  });
  lines.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', body);
  socket.end(lines.join('\r\n'));
}

const frame = (d: RawData, binary: boolean): string | Uint8Array => {
  const buf = Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d as ArrayBuffer);
  return binary ? buf : buf.toString('utf8');
};
/** Close codes 1005/1006 describe a missing close frame and may not be sent. */
const sendable = (code: number) => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

function pipe(client: WebSocket, up: WebSocket, plan: WsPlan): void {
  let ended = false;
  const end = (status: number) => {
    if (ended) return;
    ended = true;
    plan.done(status);
  };
  client.on('message', (d, binary) => {
    if (up.readyState === WebSocket.OPEN) up.send(plan.rewrite(frame(d, binary)), { binary });
  });
  up.on('message', (d, binary) => {
    if (client.readyState === WebSocket.OPEN) client.send(frame(d, binary), { binary });
  });
  client.on('close', (code) => {
    end(101);
    up.close(sendable(code) ? code : 1000);
  });
  up.on('close', (code) => {
    end(101);
    client.close(sendable(code) ? code : 1000);
  });
  client.on('error', () => up.terminate());
  up.on('error', () => client.terminate());
}

export function listenNode(proxy: Proxy, opts: { port?: number; host?: string } = {}): Promise<NodeProxy> {
  // The client is told the sub-protocol the upstream picked (none if it picked none), never a guess.
  const picked = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true, maxPayload: WS_MAX_CLIENT_MESSAGE, perMessageDeflate: false,
    handleProtocols: (_offered, req) => picked.get(req) || false,
  });
  const upstreams = new Set<WebSocket>();
  const timeoutMs = proxy.config.upstreamTimeoutMs;

  const server = createServer((req, res) => {
    const headers = toHeaders(req);
    if (!headers) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Malformed request headers.', rule: 'headers' }));
      return;
    }
    proxy
      .fetch(toRequest(req, headers), { ip: req.socket.remoteAddress ?? 'unknown', rawTarget: req.url ?? '' })
      .then((r) => writeResponse(res, r))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"Internal proxy error.","rule":"internal"}');
        else res.destroy();
      });
  });
  // Node answers malformed requests (bad header bytes, CR/LF injection) with 400 before our handler runs.
  server.on('clientError', (_e, socket: Socket) => {
    if (socket.writable) socket.end(plainRefusal(400, '{"error":"Malformed HTTP request.","rule":"http-parse"}'));
    else socket.destroy();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const headers = toHeaders(req);
    if (!headers || headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      socket.end(plainRefusal(400, '{"error":"Only WebSocket upgrades are relayed.","rule":"upgrade"}'));
      return;
    }
    const request = new Request('http://proxy.local/', { headers });
    void proxy.planWebSocket(request, { ip: req.socket.remoteAddress ?? 'unknown', rawTarget: req.url ?? '' }).then((plan) => {
      if (plan instanceof Response) return refuseSocket(socket, plan);
      const up = new WebSocket(plan.upstream, plan.protocols, {
        followRedirects: false, handshakeTimeout: timeoutMs, maxPayload: WS_MAX_UPSTREAM_MESSAGE, perMessageDeflate: false,
      });
      upstreams.add(up);
      up.on('close', () => upstreams.delete(up));
      const fail = (status: number, rule: string, error: string) => {
        up.terminate();
        plan.done(status);
        socket.end(plainRefusal(status, JSON.stringify({ error, rule })));
      };
      up.once('unexpected-response', (_r, res) => {
        res.resume();
        fail(502, 'upstream-ws', `The upstream refused the stream (HTTP ${res.statusCode ?? '?'}).`);
      });
      up.once('error', () => {
        if (up.readyState !== WebSocket.OPEN) fail(502, 'upstream-ws', 'The upstream stream could not be opened.');
      });
      up.once('open', () => {
        if (up.protocol) picked.set(req, up.protocol);
        wss.handleUpgrade(req, socket, head, (client) => pipe(client, up, plan));
      });
    }).catch(() => socket.destroy());
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1', () => {
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        url: `http://${host}:${a.port}`,
        port: a.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            for (const u of upstreams) u.terminate();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
