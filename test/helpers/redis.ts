/**
 * A real redis-server for the queue tests: on 127.0.0.1, a free port, no persistence, in a temporary
 * directory; stopped by the test (and by `timeout` if a test or its process forgets). Tests skip with a visible
 * notice when redis-server is not installed (.ci/run installs it, so CI always runs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export { freePort };

export const REDIS_SERVER: string | null = (() => {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'redis-server' : null;
})();

export function warnIfNoRedis(what: string): void {
  if (!REDIS_SERVER) console.warn(`[skipped] ${what}: redis-server is not installed (apt-get install redis-server)`);
}

function answers(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = new Socket();
    s.setTimeout(300);
    s.once('error', () => ok(false));
    s.once('timeout', () => {
      s.destroy();
      ok(false);
    });
    s.connect(port, '127.0.0.1', () => {
      s.write('PING\r\n');
      s.once('data', (d) => {
        s.destroy();
        ok(d.toString().startsWith('+PONG'));
      });
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts redis-server on `port` (a free one by default) and waits until it answers PING. */
export async function startRedis(port?: number, lifetimeMs = 300_000): Promise<RedisServer> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  // coreutils `timeout` bounds the server's life even if this process dies before stop() (it forwards
  // SIGTERM to the server, which then exits without saving: persistence is off).
  const proc: ChildProcess = spawn('timeout', ['--signal=KILL', String(Math.ceil(lifetimeMs / 1000)), 'redis-server',
    '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes',
  ], { stdio: 'ignore' });
  const guard = setTimeout(() => proc.kill('SIGTERM'), lifetimeMs);
  guard.unref();
  const until = Date.now() + 10_000;
  while (!(await answers(p))) {
    if (Date.now() > until || proc.exitCode !== null) {
      proc.kill('SIGTERM');
      throw new Error(`redis-server did not start on 127.0.0.1:${p}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: p,
    url: `redis://127.0.0.1:${p}/0`,
    stop: () => new Promise<void>((done) => {
      clearTimeout(guard);
      if (proc.exitCode !== null) {
        rmSync(dir, { recursive: true, force: true });
        return done();
      }
      proc.once('exit', () => {
        rmSync(dir, { recursive: true, force: true });
        done();
      });
      proc.kill('SIGTERM');
    }),
  };
}
