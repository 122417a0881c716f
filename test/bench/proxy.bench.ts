import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig } from '../../src/proxy/config.ts';
import { createProxy } from '../../src/proxy/handler.ts';
import { listenNode } from '../../src/proxy/node.ts';
import type { BenchSuite } from './harness.ts';

/**
 * P1: a bounded load run through the proxy's Node entry to a fake upstream on loopback (GET
 * /alpaca-paper/v2/clock, keep-alive clients). The same requests go straight to the fake first, so the
 * proxy's added latency is a difference measured in the same run, on the same machine load.
 */

function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function load(port: number, path: string, total: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const ms: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      try {
        ms.push(await get(agent, port, path));
      } catch {
        errors++;
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? NaN;
  return { errors, p50: q(0.5), p99: q(0.99), perSecond: total / seconds };
}

const suite: BenchSuite = {
  name: 'proxy (Node entry, loopback)',
  async run({ quick }) {
    const body = JSON.stringify({ timestamp: '2026-12-01T16:00:00-05:00', is_open: true, next_open: '2026-12-02T09:30:00-05:00', next_close: '2026-12-01T16:00:00-05:00' });
    const upstream = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upPort = (upstream.address() as AddressInfo).port;
    const config = resolveConfig({
      routes: { 'alpaca-paper': { upstream: `http://127.0.0.1:${upPort}` } },
      rateLimit: { burst: 1e9, perSecond: 1e9 },
    }, {});
    const node = await listenNode(createProxy({ config, log: () => undefined }), { port: 0 });
    try {
      const total = quick ? 1000 : 5000;
      const concurrency = 50;
      await load(node.port, '/alpaca-paper/v2/clock', 200, concurrency); // warm-up: JIT and both keep-alive pools
      const direct = await load(upPort, '/v2/clock', total, concurrency);
      const proxied = await load(node.port, '/alpaca-paper/v2/clock', total, concurrency);
      return {
        'P1 proxy load': {
          requests: total, concurrency, errors: proxied.errors + direct.errors,
          directP50ms: direct.p50, directP99ms: direct.p99, proxiedP50ms: proxied.p50, proxiedP99ms: proxied.p99,
          addedP50ms: proxied.p50 - direct.p50, addedP99ms: proxied.p99 - direct.p99,
          directPerSecond: direct.perSecond, proxiedPerSecond: proxied.perSecond,
        },
      };
    } finally {
      await node.close();
      await new Promise<void>((r) => {
        upstream.closeAllConnections();
        upstream.close(() => r());
      });
    }
  },
};
export default suite;
