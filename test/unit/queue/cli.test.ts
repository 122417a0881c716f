/**
 * `npm run optimize -- … --queue` with `npm run worker` processes on a real redis-server: one worker is
 * killed while it holds a job, the job is retried on the other, and the output equals the local run's.
 */
import { QueueEvents, Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizeCli } from '../../../src/cli/optimize.ts';
import { EVAL_QUEUE } from '../../../src/cli/queue/jobs.ts';
import { PROJECT_ROOT } from '../../helpers/shared-data.ts';
import { REDIS_SERVER, startRedis, warnIfNoRedis, type RedisServer } from '../../helpers/redis.ts';
import { dailyBars } from '../optimize/fixtures.ts';

warnIfNoRedis('queue CLI tests');

const dir = mkdtempSync(join(tmpdir(), 'queue-cli-'));
const strategy = join(dir, 'sma.json');
const csv = join(dir, 'ZZZ.csv');

function writeInputs(): void {
  const b = dailyBars(6_000, 8);
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < b.length; i++) lines.push(`${new Date(b.time[i]!).toISOString().slice(0, 10)},${b.open[i]!.toFixed(2)},${b.high[i]!.toFixed(2)},${b.low[i]!.toFixed(2)},${b.close[i]!.toFixed(2)},1000`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  writeFileSync(strategy, JSON.stringify({
    version: 1, name: 'sma', settings: { universe: ['ZZZ'], initialCash: 10_000, fees: { fraction: 0.001 } },
    parameters: { fast: { default: 10, min: 2, max: 30, step: 1 }, slow: { default: 40, min: 20, max: 100, step: 10 } },
    strategies: [
      { id: 'l', name: 'l', condition: { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: 'crossesAbove', rhs: { kind: 'sma', window: { bars: { $param: 'slow' } } } }, action: { type: 'setWeight', weight: 1 } },
      { id: 's', name: 's', condition: { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: 'crossesBelow', rhs: { kind: 'sma', window: { bars: { $param: 'slow' } } } }, action: { type: 'setWeight', weight: 0 } },
    ],
  }));
}

function spawnWorker(url: string): { proc: ChildProcess; log: string[] } {
  const log: string[] = [];
  const proc = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/worker.ts'), '--queue', url, '--threads', '0', '--lock-ms', '1000'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  return { proc, log };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The CLI's JSON without what differs by construction (time taken, where it ran). */
function comparable(out: string) {
  const j = JSON.parse(out);
  delete j.evaluationsPerSecond;
  delete j.elapsedMs;
  delete j.ranOn;
  return j;
}

describe.skipIf(!REDIS_SERVER)('optimize --queue with worker processes (real redis-server)', () => {
  let redis: RedisServer;
  const procs: ChildProcess[] = [];

  beforeAll(async () => {
    writeInputs();
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('grid and genetic searches survive a worker killed mid-job and print what the local run prints', async () => {
    const a = spawnWorker(redis.url), b = spawnWorker(redis.url);
    procs.push(a.proc, b.proc);
    await until('two workers ready', () => a.log.some((l) => l.includes('ready')) && b.log.some((l) => l.includes('ready')));
    const conn = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
    const events = new QueueEvents(EVAL_QUEUE, { connection: conn });
    const queue = new Queue(EVAL_QUEUE, { connection: conn });
    let stalled = 0;
    events.on('stalled', () => stalled++);
    await events.waitUntilReady();

    const args = ['--strategy', strategy, '--data', csv, '--method', 'grid', '--objective', 'sharpe', '--json'];
    const out: string[] = [], err: string[] = [];
    const run = optimizeCli([...args, '--queue', redis.url, '--chunk', '4'], (s) => out.push(s), (s) => err.push(s), () => {});
    const aName = `${hostname()}:${a.proc.pid}:t0`;
    await until('worker A to hold a job', async () => (await queue.getJobs(['active'])).some((j) => j.processedBy === aName));
    a.proc.kill('SIGKILL');
    const code = await run;
    expect(err.filter((l) => !l.startsWith('queue: '))).toEqual([]);
    expect(code).toBe(0);
    expect(stalled).toBeGreaterThanOrEqual(1); // A's job was taken back and run again, on B
    expect(err.some((l) => /^queue: \d+ evaluations \(\d+\/s\), workers [12], jobs waiting \d+, active \d+, failed 0$/.test(l))).toBe(true);

    const local: string[] = [];
    expect(await optimizeCli(args, (s) => local.push(s), () => {}, () => {})).toBe(0);
    const q = comparable(out.join('\n')), l = comparable(local.join('\n'));
    expect(q.evaluations).toBe(261);
    expect(q).toEqual(l);

    // A genetic search on the surviving worker process: one flow per generation, same seed ⇒ same result.
    const gen = ['--strategy', strategy, '--data', csv, '--method', 'genetic', '--evaluations', '40', '--seed', '5', '--json'];
    const gq: string[] = [], gl: string[] = [];
    expect(await optimizeCli([...gen, '--queue', redis.url], (s) => gq.push(s), () => {}, () => {})).toBe(0);
    expect(await optimizeCli(gen, (s) => gl.push(s), () => {}, () => {})).toBe(0);
    expect(comparable(gq.join('\n'))).toEqual(comparable(gl.join('\n')));
    await events.close();
    await queue.close();
    b.proc.kill('SIGTERM');
  }, 300_000);

  it('Ctrl-C cancels the search and removes its queued jobs', async () => {
    // No worker listens: the jobs wait until the client is interrupted.
    const cli = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/optimize.ts'),
      '--strategy', strategy, '--data', csv, '--method', 'grid', '--queue', redis.url, '--chunk', '10'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(cli);
    let stderr = '';
    cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const queue = new Queue(EVAL_QUEUE, { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      await until('jobs queued', async () => (await queue.getJobCounts('waiting')).waiting! > 0);
      const code = new Promise<number | null>((r) => cli.once('exit', (c) => r(c)));
      cli.kill('SIGINT');
      expect(await code).toBe(1);
      expect(stderr).toContain('error: the search was cancelled');
      expect((await queue.getJobCounts('waiting')).waiting).toBe(0);
    } finally {
      await queue.close();
    }
  }, 180_000);
});
