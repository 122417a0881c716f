/**
 * The queue path against a real redis-server: searches run through BullMQ on in-process queue workers
 * give exactly the in-process results; refusals and outages fail clearly. (Worker processes killed
 * mid-run: cli.test.ts.)
 */
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseQueueUrl } from '../../../src/cli/queue/connection.ts';
import { QueueClient } from '../../../src/cli/queue/client.ts';
import { EVAL_QUEUE, PAYLOAD_VERSION } from '../../../src/cli/queue/jobs.ts';
import { startWorker, type WorkerService } from '../../../src/cli/queue/worker-service.ts';
import { ENGINE_VERSION } from '../../../src/engine/index.ts';
import { optimize, type OptimizeOptions } from '../../../src/optimize/index.ts';
import { freePort, REDIS_SERVER, startRedis, warnIfNoRedis, type RedisServer } from '../../helpers/redis.ts';
import { dailyBars, smaCross } from '../optimize/fixtures.ts';

warnIfNoRedis('queue tests');

const doc = smaCross({ fast: { default: 10, min: 2, max: 30, step: 2 }, slow: { default: 40, min: 20, max: 80, step: 10 } });
const data = { bars: [dailyBars(700, 5)] };
const quiet = () => {};

/** The comparable part of a result: everything but timing. */
function outcome(r: Awaited<ReturnType<typeof optimize>>) {
  return JSON.parse(JSON.stringify({ best: r.best, top: r.top, evaluations: r.evaluations, stop: r.stopReason, gens: r.generations, wf: r.walkForward && { ...r.walkForward, elapsedMs: 0, latest: null } }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

describe.skipIf(!REDIS_SERVER)('optimize on the Redis queue (real redis-server)', () => {
  let redis: RedisServer;
  const workers: WorkerService[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ target: parseQueueUrl(redis.url), threads: 0, log: quiet }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await redis?.stop();
  }, 60_000);

  async function viaQueue(options: OptimizeOptions, chunk?: number) {
    const q = new QueueClient({ target: parseQueueUrl(redis.url), chunk, statusEveryMs: 200 });
    try {
      await q.connect();
      return await optimize(doc, data, options, q.factory(data), undefined, q.signal);
    } finally {
      await q.close();
    }
  }

  it('a grid search equals the in-process search', async () => {
    const options: OptimizeOptions = { method: 'grid', objective: 'sharpe' };
    const local = await optimize(doc, data, options);
    const queued = await viaQueue(options, 7);
    expect(queued.evaluations).toBe(local.evaluations);
    expect(outcome(queued)).toEqual(outcome(local));
  });

  it('a genetic search (one flow per generation) equals the in-process search with the same seed', async () => {
    const options: OptimizeOptions = { method: 'genetic', evaluations: 60, seed: 11, objective: 'sortino' };
    expect(outcome(await viaQueue(options))).toEqual(outcome(await optimize(doc, data, options)));
  });

  it('a walk-forward (window scopes sent as slices of one stored data set) equals the in-process one', async () => {
    const options: OptimizeOptions = { method: 'random', evaluations: 15, seed: 3, walkForward: { inSample: 300, outOfSample: 150, unit: 'bars' } };
    const local = await optimize(doc, data, options);
    expect(local.walkForward!.windows.length).toBe(3);
    expect(outcome(await viaQueue(options))).toEqual(outcome(local));
  });

  it('a poisoned job fails alone with its reason; the worker goes on serving', async () => {
    const queue = new Queue(EVAL_QUEUE, { connection: { host: '127.0.0.1', port: redis.port } });
    const events = new QueueEvents(EVAL_QUEUE, { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null } });
    try {
      await events.waitUntilReady();
      const poison = await queue.add('eval', { v: PAYLOAD_VERSION, searchId: 'poison', engineVersion: ENGINE_VERSION, scope: { data: '0123456789abcdef', slice: null }, doc: {}, candidates: [{ fast: 'NaN?' }], hashes: ['0123456789abcdef'] });
      await expect(poison.waitUntilFinished(events, 10_000)).rejects.toThrow('malformed job: candidates[0].fast: expected a finite number');
      const missing = await queue.add('eval', { v: PAYLOAD_VERSION, searchId: 'missing', engineVersion: ENGINE_VERSION, scope: { data: 'fedcba9876543210', slice: null }, doc, candidates: [{ fast: 4, slow: 40 }], hashes: ['0123456789abcdef'] });
      await expect(missing.waitUntilFinished(events, 10_000)).rejects.toThrow('data set fedcba9876543210 is not stored in Redis');
      const failed = await queue.getJob(poison.id!);
      expect(failed?.attemptsMade).toBe(1); // unrecoverable: never retried
    } finally {
      await events.close();
      await queue.close();
    }
    const r = await viaQueue({ method: 'random', evaluations: 5, seed: 1 });
    expect(r.evaluations).toBe(5);
  });

  it('data whose bytes do not hash to the fingerprint a job names are refused', async () => {
    const { Redis } = await import('ioredis');
    const r = new Redis({ host: '127.0.0.1', port: redis.port });
    const queue = new Queue(EVAL_QUEUE, { connection: { host: '127.0.0.1', port: redis.port } });
    const events = new QueueEvents(EVAL_QUEUE, { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null } });
    try {
      const { encodeDataset } = await import('../../../src/cli/queue/dataset.ts');
      await r.set('bt:data:00000000000000aa', encodeDataset(data));
      await events.waitUntilReady();
      const job = await queue.add('eval', { v: PAYLOAD_VERSION, searchId: 'tampered', engineVersion: ENGINE_VERSION, scope: { data: '00000000000000aa', slice: null }, doc, candidates: [{ fast: 4, slow: 40 }], hashes: ['0123456789abcdef'] });
      await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/data fingerprint mismatch: the job names 00000000000000aa, the stored bytes hash to [0-9a-f]{16}/);
    } finally {
      r.disconnect();
      await events.close();
      await queue.close();
    }
  });

  it('a worker of another engine version refuses the job, and the search fails saying so', async () => {
    // A separate Redis so that only the mismatched worker is listening.
    const other = await startRedis();
    const w = await startWorker({ target: parseQueueUrl(other.url), threads: 0, log: quiet, engineVersion: '0.0.0-other' });
    const q = new QueueClient({ target: parseQueueUrl(other.url), statusEveryMs: 200 });
    try {
      await q.connect();
      await expect(optimize(doc, data, { method: 'random', evaluations: 4, seed: 2 }, q.factory(data), undefined, q.signal))
        .rejects.toThrow(`engine version mismatch: the job needs ${ENGINE_VERSION}, this worker runs 0.0.0-other`);
    } finally {
      await q.close();
      await w.close();
      await other.stop();
    }
  });

  it('the client fails clearly when Redis cannot be reached', async () => {
    const port = await freePort();
    const q = new QueueClient({ target: parseQueueUrl(`redis://127.0.0.1:${port}`), redisTimeoutMs: 800 });
    await expect(q.connect()).rejects.toThrow(`cannot reach Redis at redis://127.0.0.1:${port}/0 within 800 ms`);
    await q.close();
  });

  it('the client fails clearly when Redis goes away mid-search', async () => {
    const gone = await startRedis();
    const q = new QueueClient({ target: parseQueueUrl(gone.url), redisTimeoutMs: 600, statusEveryMs: 100 });
    try {
      await q.connect();
      // No worker listens here: the search waits on its first flow until Redis disappears.
      const run = optimize(doc, data, { method: 'random', evaluations: 4, seed: 2 }, q.factory(data), undefined, q.signal);
      await new Promise((r) => setTimeout(r, 300));
      await gone.stop();
      await expect(run).rejects.toThrow(/lost Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
    } finally {
      await q.close();
    }
  });

  it('a wall clock stepping back while Redis is away does not keep the search waiting: the outage is timed on the monotonic clock', async () => {
    const gone = await startRedis();
    const q = new QueueClient({ target: parseQueueUrl(gone.url), redisTimeoutMs: 600, statusEveryMs: 100 });
    const realNow = Date.now.bind(Date);
    let back = 0;
    const wall = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - back);
    let stepper: ReturnType<typeof setInterval> | undefined;
    try {
      await q.connect();
      const run = optimize(doc, data, { method: 'random', evaluations: 4, seed: 2 }, q.factory(data), undefined, q.signal);
      await new Promise((r) => setTimeout(r, 300));
      await gone.stop();
      // A minute back every 50 ms: by the wall clock, Redis would never have been away for long (the client
      // timed the outage with Date.now before 1524cf2, and waited for ever).
      stepper = setInterval(() => { back += 60_000; }, 50);
      await expect(run).rejects.toThrow(/lost Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
    } finally {
      clearInterval(stepper);
      wall.mockRestore();
      await q.close();
    }
  }, 15_000);

  it('stored data sets expire (worker data cache and bt:data keys no longer grow without bound)', async () => {
    // Its own Redis and worker, so that the load counts below are this worker's alone.
    const own = await startRedis();
    const lines: string[] = [];
    const w = await startWorker({ target: parseQueueUrl(own.url), threads: 0, log: (l) => lines.push(l), datasetsKept: 1 });
    const { Redis } = await import('ioredis');
    const r = new Redis({ host: '127.0.0.1', port: own.port });
    const other = { bars: [dailyBars(400, 6)] };
    const search = async (d: typeof data) => {
      const q = new QueueClient({ target: parseQueueUrl(own.url), statusEveryMs: 200, dataTtlSeconds: 120 });
      try {
        await q.connect();
        return await optimize(doc, d, { method: 'random', evaluations: 3, seed: 4 }, q.factory(d), undefined, q.signal);
      } finally {
        await q.close();
      }
    };
    try {
      await search(data);
      await search(other);
      const again = await search(data);
      expect(outcome(again)).toEqual(outcome(await optimize(doc, data, { method: 'random', evaluations: 3, seed: 4 })));
      // With one data set kept, the first is dropped for the second and loaded again for the third search.
      expect(lines.filter((l) => /^data set [0-9a-f]{16}:/.test(l)).length).toBe(3);
      const keys = await r.keys('bt:data:*');
      expect(keys.length).toBe(2);
      for (const k of keys) {
        const ttl = await r.ttl(k);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(120);
      }
    } finally {
      r.disconnect();
      await w.close();
      await own.stop();
    }
  });

  it('a worker started while Redis is down retries with back-off and serves once it is up', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const starting = startWorker({ target: parseQueueUrl(`redis://127.0.0.1:${port}`), threads: 0, log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 1200));
    expect(lines.some((l) => /unavailable \(attempt \d+\); retrying in \d+ ms/.test(l))).toBe(true);
    const late = await startRedis(port);
    const w = await starting;
    const q = new QueueClient({ target: parseQueueUrl(late.url), statusEveryMs: 200 });
    try {
      await q.connect();
      const r = await optimize(doc, data, { method: 'random', evaluations: 6, seed: 9 }, q.factory(data), undefined, q.signal);
      expect(r.evaluations).toBe(6);
    } finally {
      await q.close();
      await w.close();
      await late.stop();
    }
  });
});
