import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EngineEndpoint } from '../rpc/engine-api.ts';
import { EnginePool, type PoolOptions } from '../rpc/pool.ts';

const ENTRY = new URL('../../workers/engine.node-worker.ts', import.meta.url).href;

/**
 * The worker entry is TypeScript. On Node 20 a thread started with `--import tsx` still loads its entry
 * before the hooks apply ("Unknown file extension .ts"), so a tiny bootstrap registers tsx's ESM hooks
 * inside the thread first and then imports the entry.
 */
function bootstrap(): string {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ENTRY)}); });`;
}
let code: string | undefined;

/** One engine worker thread as the pool's endpoint: Comlink's Node adapter plus terminate and onerror. */
export function spawnNodeEngine(): EngineEndpoint {
  const w = new Worker((code ??= bootstrap()), { eval: true });
  const ep = Object.assign(nodeEndpoint(w), {
    terminate: () => w.terminate(),
    onerror: null as ((e: { message?: string }) => void) | null,
  });
  w.on('error', (e: Error) => ep.onerror?.({ message: e.message }));
  return ep;
}

/** The engine pool on worker_threads, same API as the browser pool; size defaults to cores − 1 (≥ 1). */
export function createNodePool(opts: Omit<PoolOptions, 'spawn'> = {}): EnginePool {
  return new EnginePool({ size: Math.max(1, availableParallelism() - 1), ...opts, spawn: spawnNodeEngine });
}
