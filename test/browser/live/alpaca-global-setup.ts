/**
 * The Alpaca fake (test/unit/live/fake-alpaca.ts) for the browser project, on 127.0.0.1 (port 0): it answers
 * as a relay-mode proxy would (`/alpaca-paper/…`, `/alpaca-live/…`, `/alpaca-data/…`, streams included) with
 * CORS for the test page, so the Live page reaches it through its proxy setting. Tests drive its market through
 * `/__control/…` (reset, advance one bar, state). It stops when the run ends, and by itself after 10 minutes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TestProject } from 'vitest/node';
import { FakeAlpaca, type FakeBar } from '../../unit/live/fake-alpaca.ts';
import { swingBars } from '../../unit/live/fake-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    alpacaFakeUrl: string;
  }
}

const DAY = 86_400_000;
export const ALPACA_T0 = Date.UTC(2024, 0, 1);
const PREFIX = /^\/alpaca-(paper|live|data)(?=\/)/;

class BrowserFakeAlpaca extends FakeAlpaca {
  private list: FakeBar[] = [];
  private k = 0;

  reset(n: number, warm: number): void {
    this.cash = 10_000;
    this.positions = new Map();
    this.orders = [];
    this.posts = [];
    this.requests = [];
    this.dropStreams();
    this.streams = [];
    this.list = swingBars(n, ALPACA_T0, DAY);
    this.bars = new Map([['SPY', this.list]]);
    this.k = warm;
    this.now = this.list[warm]!.t;
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin) res.setHeader('access-control-allow-origin', origin);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'apca-api-key-id, apca-api-secret-key, content-type, authorization',
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    if (path.startsWith('/__control/')) return this.control(path, req, res);
    req.url = (req.url ?? '/').replace(PREFIX, '');
    return super.handle(req, res);
  }

  protected override upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    req.url = (req.url ?? '/').replace(PREFIX, '');
    super.upgrade(req, socket, head);
  }

  private async control(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const c of req) body += c;
    const json = (x: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(x)); };
    if (path === '/__control/reset') {
      const { n, warm } = JSON.parse(body || '{}') as { n?: number; warm?: number };
      this.reset(n ?? 40, warm ?? 10);
      return json({ bars: this.list });
    }
    if (path === '/__control/advance') {
      if (this.k < this.list.length) this.advance(this.list[this.k++]!.t, DAY);
      return json({ k: this.k, done: this.k >= this.list.length });
    }
    if (path === '/__control/state') {
      return json({
        clockReads: this.requests.filter((r) => r.path === '/v2/clock').length,
        orders: this.orders.map((o) => ({ client_order_id: o.client_order_id, status: o.status, side: o.side, qty: o.qty, filled_avg_price: o.filled_avg_price })),
        posts: this.posts.length,
        position: this.position('SPY'),
        tradingStreams: this.streams.filter((c) => c.kind === 'trading' && c.listening).length,
      });
    }
    res.writeHead(404).end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = new BrowserFakeAlpaca(10_000);
  fake.reset(40, 10);
  await fake.start(600_000);
  project.provide('alpacaFakeUrl', fake.url);
  return () => fake.stop();
}
