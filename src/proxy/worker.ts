import { resolveConfig, type Env } from './config.ts';
import { createProxy, type Proxy } from './handler.ts';

/**
 * The Cloudflare Workers entry (wrangler.toml points here). Secrets (PROXY_TOKEN, APCA_API_KEY_ID, …) are
 * Workers secrets; the JSON config is the PROXY_CONFIG variable. The same handler serves Deno and Bun
 * through their own `serve(fetch)` (docs/PROXY.md). WebSocket streams are relayed with WebSocketPair.
 */

/** The part of a Workers WebSocket this relay uses. */
export interface WorkerSocket {
  accept(): void;
  send(data: string | ArrayBuffer | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', fn: (e: { data: string | ArrayBuffer }) => void): void;
  addEventListener(type: 'close', fn: (e: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', fn: () => void): void;
}

export interface WorkerRuntime {
  /** Upstream fetch; on Workers an `Upgrade: websocket` fetch answers with `response.webSocket`. */
  fetch: typeof fetch;
  /** `new WebSocketPair()`: [client end returned to the caller, server end the worker drives]. */
  pair: () => [WorkerSocket, WorkerSocket];
  /** The 101 answer carrying the client end (a Workers-only Response option). */
  upgraded: (client: WorkerSocket) => Response;
}

type PairCtor = new () => Record<0 | 1, WorkerSocket>;

const workersRuntime = (): WorkerRuntime => ({
  fetch: (input, init) => fetch(input, init),
  pair: () => {
    const p = new (globalThis as unknown as { WebSocketPair: PairCtor }).WebSocketPair();
    return [p[0], p[1]];
  },
  upgraded: (client) => new Response(null, { status: 101, webSocket: client } as ResponseInit),
});

const sendable = (code: number) => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

export function createWorker(rt: WorkerRuntime = workersRuntime()) {
  let cached: { env: Env; proxy: Proxy } | { env: Env; error: string } | null = null;

  function proxyFor(env: Env): Proxy | string {
    if (cached?.env !== env) {
      try {
        const config = resolveConfig(env.PROXY_CONFIG ? JSON.parse(env.PROXY_CONFIG) : {}, env);
        cached = { env, proxy: createProxy({ config, fetch: rt.fetch }) };
      } catch (e) {
        cached = { env, error: e instanceof SyntaxError ? 'PROXY_CONFIG is not valid JSON.' : (e as Error).message };
      }
    }
    return 'proxy' in cached ? cached.proxy : cached.error;
  }

  async function relayWebSocket(proxy: Proxy, req: Request, ip: string): Promise<Response> {
    const plan = await proxy.planWebSocket(req, { ip });
    if (plan instanceof Response) return plan;
    const upUrl = new URL(plan.upstream.href.replace(/^ws/, 'http'));
    let up: WorkerSocket | null | undefined;
    try {
      const res = await rt.fetch(upUrl, {
        headers: { upgrade: 'websocket', ...(plan.protocols.length ? { 'sec-websocket-protocol': plan.protocols.join(', ') } : {}) },
        redirect: 'manual',
      });
      up = (res as Response & { webSocket?: WorkerSocket | null }).webSocket;
    } catch {
      up = null;
    }
    if (!up) {
      plan.done(502);
      return Response.json({ error: 'The upstream stream could not be opened.', rule: 'upstream-ws' }, { status: 502 });
    }
    const [client, server] = rt.pair();
    up.accept();
    server.accept();
    const upSock = up;
    let ended = false;
    const end = () => {
      if (!ended) plan.done(101);
      ended = true;
    };
    server.addEventListener('message', (e) => upSock.send(plan.rewrite(typeof e.data === 'string' ? e.data : new Uint8Array(e.data))));
    upSock.addEventListener('message', (e) => server.send(e.data));
    server.addEventListener('close', (e) => {
      end();
      upSock.close(sendable(e.code) ? e.code : 1000);
    });
    upSock.addEventListener('close', (e) => {
      end();
      server.close(sendable(e.code) ? e.code : 1000);
    });
    server.addEventListener('error', () => upSock.close(1011));
    upSock.addEventListener('error', () => server.close(1011));
    return rt.upgraded(client);
  }

  return {
    async fetch(req: Request, env: Env): Promise<Response> {
      const proxy = proxyFor(env);
      // Fail closed, and say which setting is wrong (the message never holds a secret's value).
      if (typeof proxy === 'string') return Response.json({ error: `Proxy misconfigured: ${proxy}`, rule: 'config' }, { status: 500 });
      const ip = req.headers.get('cf-connecting-ip') ?? 'unknown';
      if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') return relayWebSocket(proxy, req, ip);
      return proxy.fetch(req, { ip });
    },
  };
}

export default createWorker();
