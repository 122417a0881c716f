import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/lib/clock.ts';
import { INTERRUPTED, JobQueue, type JobRecord } from '../../../src/rpc/job-queue.ts';
import type { EnginePool } from '../../../src/rpc/pool.ts';
import { crossDoc, dailyBars, longMinuteRun, paramSets } from '../../unit/pool/fixture.ts';
import { browserPool } from './spawn.ts';

let n = 0;
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

function setup(size = 2): { pool: EnginePool; dbName: string } {
  const pool = browserPool({ size });
  const dbName = `test-jobs-${n++}-${Math.random().toString(36).slice(2)}`;
  cleanup.push(() => pool.close(), () => deleteDB(dbName));
  return { pool, dbName };
}

async function open(pool: EnginePool, dbName: string, clock = new ManualClock(1_000)): Promise<JobQueue> {
  const q = await JobQueue.open({ pool, dbName, clock });
  cleanup.push(() => q.close());
  return q;
}

/** Resolves when the job is first seen in `state`. */
function reaches(q: JobQueue, id: () => string, state: JobRecord['state']): Promise<JobRecord> {
  return new Promise((resolve) => {
    const off = q.subscribe((j) => { if (j.id === id() && j.state === state) { off(); resolve(j); } });
  });
}

/** Submits a long minute-bar run and resolves once it is RUNNING. */
async function startLong(q: JobQueue, years = 2) {
  const { doc, bars } = longMinuteRun(years);
  let id = '';
  const running = reaches(q, () => id, 'RUNNING');
  const job = q.submit({ doc, data: { bars } });
  id = job.id;
  return { job, running };
}

describe('job queue in IndexedDB (real Chromium)', () => {
  it('throttles progress on a monotonic clock by default: a wall clock stepped back an hour does not hold it', async () => {
    // Intervals of 1 ms in the pool and the queue: the run's progress updates then pass whatever the machine's
    // speed, unless a throttle reads the stepped wall clock (then none passes after the step).
    const pool = browserPool({ size: 1, progressIntervalMs: 1 });
    const dbName = `test-jobs-${n++}-${Math.random().toString(36).slice(2)}`;
    cleanup.push(() => pool.close(), () => deleteDB(dbName));
    const q = await JobQueue.open({ pool, dbName, progressIntervalMs: 1 });
    cleanup.push(() => q.close());
    const realNow = Date.now;
    cleanup.push(() => { Date.now = realNow; });
    let events = 0;
    const { doc, bars } = longMinuteRun(1);
    await q.submit({ doc, data: { bars } }, {
      onProgress: () => {
        // After the first event the wall clock jumps back an hour: a throttle on it would let nothing through.
        if (events++ === 0) Date.now = () => realNow() - 3_600_000;
      },
    }).result;
    expect(events).toBeGreaterThan(1);
  });

  it('moves a job QUEUED → WARMING_UP → RUNNING → COMPLETED with times from the injected clock', async () => {
    const { pool, dbName } = setup();
    const clock = new ManualClock(5_000);
    const q = await open(pool, dbName, clock);
    const states: string[] = [];
    const job = q.submit({ doc: crossDoc(), data: { bars: dailyBars() } }, {
      onState: (j) => { states.push(j.state); clock.advance(10); },
    });
    const result = await job.result;
    expect(states).toEqual(['QUEUED', 'WARMING_UP', 'RUNNING', 'COMPLETED']);
    const rec = (await q.get(job.id))!;
    expect(rec).toMatchObject({ state: 'COMPLETED', queuedAt: 5_000, error: null, runs: 1, name: 'pool fixture' });
    // Every time is the manual clock's (advanced 10 per stored change), in order; none is the wall clock.
    const times = [rec.queuedAt, rec.warmingUpAt!, rec.runningAt!, rec.endedAt!];
    expect(times).toEqual([...times].sort((x, y) => x - y));
    for (const t of times) expect([5_000, 5_010, 5_020, 5_030]).toContain(t);
    expect(rec.endedAt).toBeGreaterThan(rec.queuedAt);
    expect(rec.stats).toEqual(result.stats);
  });

  it('a batch job returns results in input order and records FAILED with the error text', async () => {
    const { pool, dbName } = setup();
    const q = await open(pool, dbName);
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const reqs = paramSets(6).map((params) => ({ doc, data, params }));
    const batch = await q.submitBatch(reqs).result;
    expect(batch.map((r) => r.stats.finalEquity)).toEqual((await pool.runBatch(reqs)).map((r) => r.stats.finalEquity));
    const bad = q.submit({ doc, data: { bars: data.bars.slice(1) } });
    await expect(bad.result).rejects.toThrow(/no data for symbol "AAA"/);
    expect(await q.get(bad.id)).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/no data for symbol "AAA"/) });
    expect((await q.list()).map((j) => j.state)).toEqual(['COMPLETED', 'FAILED']);
  });

  it('cancel ends a RUNNING job CANCELLED (latency printed)', async () => {
    const { pool, dbName } = setup(1);
    const q = await open(pool, dbName);
    const { job, running } = await startLong(q);
    const id = job.id;
    await running;
    const t0 = performance.now();
    let stopped = 0;
    const off = q.subscribe((j) => { if (j.id === id && j.state === 'CANCELLED') stopped = performance.now(); });
    expect(q.cancel(job.id)).toBe(true);
    await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
    off();
    const ms = performance.now() - t0;
    console.log(`job cancel: CANCELLED stored ${(stopped - t0).toFixed(1)} ms, result rejected ${ms.toFixed(1)} ms after the request`);
    expect(await q.get(job.id)).toMatchObject({ state: 'CANCELLED', error: null });
    expect(q.cancel(job.id)).toBe(false);
  });

  it('a reload mid-run (queue closed and reopened on the same database) marks the job FAILED, not stuck', async () => {
    const { pool, dbName } = setup(1);
    const first = await open(pool, dbName);
    const { job, running } = await startLong(first);
    const queuedToo = first.submit({ doc: crossDoc(), data: { bars: dailyBars() } });
    await running;
    job.result.catch(() => undefined);
    queuedToo.result.catch(() => undefined);
    first.close();
    const clock = new ManualClock(77_000);
    const second = await open(pool, dbName, clock);
    expect(second.recovered.map((j) => j.id).sort()).toEqual([job.id, queuedToo.id].sort());
    expect(await second.get(job.id)).toMatchObject({ state: 'FAILED', error: INTERRUPTED, endedAt: 77_000 });
    expect(await second.get(queuedToo.id)).toMatchObject({ state: 'FAILED', error: INTERRUPTED });
    // The reopened queue works, and the pool is free again (the abandoned run was stopped).
    const after = second.submit({ doc: crossDoc(), data: { bars: dailyBars() } });
    await after.result;
    expect(await second.get(after.id)).toMatchObject({ state: 'COMPLETED' });
  });

  it('leaves the unfinished jobs of another live tab alone', async () => {
    const { pool, dbName } = setup(1);
    const other = await open(pool, dbName);
    const { job, running } = await startLong(other, 1);
    await running;
    const mine = await open(pool, dbName);
    expect(mine.recovered).toEqual([]);
    expect((await mine.get(job.id))!.state).toBe('RUNNING');
    await job.result;
    expect((await other.get(job.id))!.state).toBe('COMPLETED');
  });
});
