/**
 * Issue #10: "a tab open across a deploy cannot run backtests once the new service worker deletes the old
 * cache". public/sw.js runs here in a vm with an in-memory CacheStorage; three deploys in a row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const SOURCE = readFileSync(join(import.meta.dirname, '../../../public/sw.js'), 'utf8');
const SCOPE = 'https://app.example/';

class MemoryCaches {
  readonly stores = new Map<string, Map<string, Response>>();
  async open(name: string) {
    if (!this.stores.has(name)) this.stores.set(name, new Map());
    const store = this.stores.get(name)!;
    return {
      addAll: async (reqs: Request[]) => { for (const r of reqs) store.set(r.url, await serve(r)); },
      put: async (r: Request | string, res: Response) => { store.set(typeof r === 'string' ? r : r.url, res); },
    };
  }
  async keys() { return [...this.stores.keys()]; }
  async delete(name: string) { return this.stores.delete(name); }
  async match(r: Request | string, opts: { cacheName?: string } = {}) {
    const url = typeof r === 'string' ? r : r.url;
    for (const [name, store] of this.stores) if ((!opts.cacheName || opts.cacheName === name) && store.has(url)) return store.get(url)!.clone();
    return undefined;
  }
}

/** The host: only the files of the current deploy exist. */
let live = new Set<string>();
async function serve(r: Request): Promise<Response> {
  const path = new URL(r.url).pathname.slice(1);
  return live.has(path) ? new Response(`/* ${path} */`, { status: 200 }) : new Response('not found', { status: 404 });
}

function deploy(caches: MemoryCaches, version: string, files: string[]) {
  live = new Set(files);
  const handlers = new Map<string, (e: unknown) => void>();
  const self = {
    registration: { scope: SCOPE },
    clients: { claim: async () => undefined },
    skipWaiting: async () => undefined,
    addEventListener: (type: string, fn: (e: unknown) => void) => handlers.set(type, fn),
    importScripts: () => { (self as { PRECACHE?: unknown }).PRECACHE = { version, files }; },
  };
  runInNewContext(SOURCE, { self, caches, fetch: serve, Request, Response, Headers, URL, Promise });
  const lifecycle = async (type: string) => {
    let done: Promise<unknown> = Promise.resolve();
    handlers.get(type)!({ waitUntil: (p: Promise<unknown>) => { done = p; } });
    await done;
  };
  const get = async (path: string) => {
    let answer: Promise<Response> | undefined;
    const request = new Request(SCOPE + path);
    handlers.get('fetch')!({ request, respondWith: (p: Promise<Response>) => { answer = p; } });
    return answer ? answer : serve(request);
  };
  return { install: () => lifecycle('install'), activate: () => lifecycle('activate'), get };
}

describe('service worker across deploys', () => {
  it('a tab open across a deploy cannot run backtests: the previous build\'s chunks stay served', async () => {
    const caches = new MemoryCaches();
    const builds = ['a1', 'b2', 'c3', 'd4'];
    let sw!: ReturnType<typeof deploy>;
    for (const v of builds) {
      sw = deploy(caches, v, ['index.html', `assets/engine.worker-${v}.js`]);
      await sw.install();
      await sw.activate();
      if (v === 'b2') {
        // The tab loaded with build a1 starts its engine worker after b2 took over: a1's chunk is gone from the host.
        const old = await sw.get('assets/engine.worker-a1.js');
        expect(old.status).toBe(200);
        expect(await old.text()).toBe('/* assets/engine.worker-a1.js */');
        expect(old.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
      }
    }
    // Two previous builds are kept, older ones are removed.
    expect([...caches.stores.keys()]).toEqual(['backtester-b2', 'backtester-c3', 'backtester-d4']);
    expect((await sw.get('assets/engine.worker-b2.js')).status).toBe(200);
    expect((await sw.get('assets/engine.worker-a1.js')).status).toBe(404);
    console.log(`service worker: ${builds.length} deploys, previous-build chunk served after a deploy, ${caches.stores.size} caches kept`);
  });
});
