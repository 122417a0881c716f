/**
 * Tradier and TradeStation for the Live page in Chromium: each test asks this control server (127.0.0.1, port 0,
 * CORS for any origin: it holds nothing secret beyond the fakes' test values) for a fresh broker fake behind the
 * real proxy in relay mode (src/proxy, allowOrigins = the test page's origin). For TradeStation the proxy holds
 * the OAuth client id and secret and adds them to the refresh-token exchange, so the page never has them.
 * Tests drive the market bar by bar (`advance`) and read the broker's books and the proxy's access log (`state`).
 * Everything stops when the run ends, and by itself after 10 minutes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { allRoutesTo, startProxy, type Harness } from '../../unit/proxy/fakes.ts';
import type { FakeBar } from '../../unit/live/fake-alpaca.ts';
import { swingBars } from '../../unit/live/fake-server.ts';
import { FakeTradeStation } from '../../unit/live/fake-tradestation.ts';
import { FakeTradier } from '../../unit/live/fake-tradier.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    brokersControlUrl: string;
  }
}

const DAY = 86_400_000;
const LIFETIME = 600_000;

interface Env {
  fake: FakeTradier | FakeTradeStation;
  proxy: Harness;
  list: FakeBar[];
  k: number;
}

let env: Env | null = null;

async function stopEnv(): Promise<void> {
  const e = env;
  env = null;
  if (!e) return;
  await e.proxy.close();
  await e.fake.stop();
}

/**
 * A new fake and proxy. Bars end before today: TradeStation has no clock endpoint (the adapter's session clock
 * is the browser's own), so its history must lie in the browser's past.
 */
async function startEnv(broker: string, origin: string, o: { n?: number; warm?: number; rotate?: boolean }): Promise<Record<string, unknown>> {
  await stopEnv();
  const n = o.n ?? 40, warm = o.warm ?? 20;
  const t0 = Math.floor(Date.now() / DAY) * DAY - (n + 5) * DAY;
  const list = swingBars(n, t0, DAY);
  const fake = broker === 'tradestation' ? new FakeTradeStation(10_000) : new FakeTradier(10_000);
  if (fake instanceof FakeTradeStation) fake.rotate = !!o.rotate;
  await fake.start(LIFETIME);
  fake.bars.set('SPY', list);
  fake.now = list[warm]!.t;
  const secrets: Record<string, string> = fake instanceof FakeTradeStation ? { TRADESTATION_CLIENT_ID: fake.clientId, TRADESTATION_CLIENT_SECRET: fake.clientSecret } : {};
  const proxy = await startProxy({ allowOrigins: [origin], routes: allRoutesTo(fake.url) }, secrets);
  env = { fake, proxy, list, k: warm };
  const base = { proxyUrl: proxy.node.url, account: fake.account };
  return fake instanceof FakeTradeStation
    ? { ...base, refreshToken: fake.refreshToken, clientSecret: fake.clientSecret, clientId: fake.clientId }
    : { ...base, token: fake.token };
}

function state(): Record<string, unknown> {
  if (!env) return {};
  const f = env.fake;
  const ts = f instanceof FakeTradeStation;
  return {
    // One per tick: TradeStation's balances (it has no clock endpoint), Tradier's clock.
    ticks: f.requests.filter((r) => r.method === 'GET' && (ts ? r.path.endsWith('/balances') : r.path === '/v1/markets/clock')).length,
    posts: f.posts.length,
    position: f.position('SPY'),
    orders: ts ? (f as FakeTradeStation).orders.map((o) => ({ id: o.OrderID, status: o.status, side: o.action, qty: o.qty })) : (f as FakeTradier).orders.map((o) => ({ id: String(o.id), status: o.status, side: o.side, qty: o.quantity, tag: o.tag })),
    tokenRequests: ts ? (f as FakeTradeStation).tokenRequests.length : 0,
    refreshToken: ts ? (f as FakeTradeStation).refreshToken : null,
    // What a token-holding request carried, to check the page sent no client secret.
    sawClientSecret: ts ? (f as FakeTradeStation).tokenRequests.every((t) => t.client_secret === (f as FakeTradeStation).clientSecret) : null,
    proxyLog: JSON.stringify(env.proxy.logs),
    done: env.k >= env.list.length,
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('access-control-allow-origin', '*');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
    return void res.end();
  }
  let body = '';
  for await (const c of req) body += c;
  const json = (x: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(x)); };
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  try {
    const b = JSON.parse(body || '{}') as { broker?: string; origin?: string; n?: number; warm?: number; rotate?: boolean };
    if (path === '/env') return json(await startEnv(b.broker ?? 'tradier', b.origin ?? '', b));
    if (path === '/advance') {
      if (env && env.k < env.list.length) env.fake.advance(env.list[env.k++]!.t, DAY);
      return json(state());
    }
    if (path === '/state') return json(state());
    if (path === '/stop') {
      await stopEnv();
      return json({});
    }
    res.writeHead(404).end();
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end((e as Error).message);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  const timer = setTimeout(() => { void stopEnv(); server.close(); }, LIFETIME);
  timer.unref();
  project.provide('brokersControlUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    clearTimeout(timer);
    await stopEnv();
    await new Promise<void>((r) => server.close(() => r()));
  };
}
