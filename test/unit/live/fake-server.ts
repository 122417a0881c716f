/**
 * What the broker fakes share: an HTTP server on 127.0.0.1 (port 0) that stops by itself after `lifetimeMs`,
 * drops its connections on stop, and logs every request; and the swinging daily bars the scenarios trade.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import type { Fault, FakeBar } from './fake-alpaca.ts';

export abstract class FakeServer {
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined> }[] = [];
  /** Faults to inject, each once, on the first request whose method matches and path starts with `path`. */
  faults: { method: string; path: string; fault: Fault }[] = [];
  url = '';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Logs the request and reads its body. */
  protected async receive(req: IncomingMessage): Promise<{ url: URL; method: string; body: string }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, headers: req.headers });
    let body = '';
    for await (const chunk of req) body += chunk;
    return { url, method, body };
  }

  /** The fault planned for this request, if any (taken: it fires once). */
  protected takeFault(method: string, path: string): Fault | null {
    const i = this.faults.findIndex((f) => f.method === method && path.startsWith(f.path));
    return i >= 0 ? this.faults.splice(i, 1)[0]!.fault : null;
  }

  /** A WebSocket upgrade (fakes that speak streams override this); refused by default. */
  protected upgrade(_req: IncomingMessage, socket: Socket, _head: Buffer): void {
    socket.destroy();
  }

  async start(lifetimeMs = 60_000): Promise<string> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    setTimeout(() => { void this.stop(); }, lifetimeMs).unref();
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }
}

/**
 * Bars that swing, so an SMA(3)/SMA(8) cross fires both ways every couple of weeks. Each opens at the previous
 * close: an all-in order sized at the close then fits at the open (a gap up would make the backtest clip it
 * where a broker refuses it or lends — see docs/LIVE.md).
 */
export function swingBars(n: number, t0: number, step: number, swing: { period: number; amplitude: number; drift: number } = { period: 4, amplitude: 12, drift: 0.1 }): FakeBar[] {
  let prev = 100;
  return Array.from({ length: n }, (_, i) => {
    const c = Math.round((100 + swing.amplitude * Math.sin(i / swing.period) + i * swing.drift) * 100) / 100;
    const o = prev;
    prev = c;
    return { t: t0 + i * step, o, h: Math.max(o, c) + 1, l: Math.min(o, c) - 1, c, v: 1000 };
  });
}

/** SMA(3)/SMA(8) cross on SPY, half the equity long (or short with `short`) — what the broker scenarios trade on swingBars. */
export function crossDoc(o: { short?: boolean; from?: number; timeframe?: string } = {}): StrategyDocument {
  const fast = { kind: 'sma', window: { bars: 3 } }, slow = { kind: 'sma', window: { bars: 8 } };
  const r = parseDocument({
    version: 1, name: 'cross',
    settings: { universe: ['SPY'], timeframe: o.timeframe ?? '1d', initialCash: 10_000, units: 'whole', allowShort: !!o.short, range: { from: new Date(o.from ?? Date.UTC(2024, 0, 11)).toISOString().slice(0, 10) } },
    strategies: [
      { id: 'long', name: 'long', condition: { lhs: fast, op: 'crossesAbove', rhs: slow }, action: { type: 'setWeight', weight: 0.5 } },
      { id: 'exit', name: 'exit', condition: { lhs: fast, op: 'crossesBelow', rhs: slow }, action: { type: 'setWeight', weight: o.short ? -0.5 : 0 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}
