/**
 * The queue worker: takes evaluation jobs from Redis, runs them on this machine's engine (a worker-thread
 * pool, or this thread), and answers with each candidate's statistics keyed by candidate hash.
 *
 * It refuses, with the reason on the job and without retries, a job it cannot run faithfully: a malformed
 * payload, another engine version, a data set whose bytes do not hash to the fingerprint the job names.
 * A worker killed mid-job loses nothing: its lock lapses, BullMQ marks the job stalled and another worker
 * runs it again (results are keyed by candidate, so a repeat counts once).
 */
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { ENGINE_VERSION, type MarketData } from '../../engine/index.ts';
import { inProcess, poolEvaluator, sliceData, type Evaluator, type EvaluatorFactory } from '../../optimize/index.ts';
import { parseDocument, type StrategyDocument } from '../../schema/index.ts';
import { createNodePool } from '../node-pool.ts';
import { redisOptions, type RedisTarget } from './connection.ts';
import { datasetFingerprint, decodeDataset } from './dataset.ts';
import { BATCH_QUEUE, cancelKey, dataKey, EVAL_QUEUE, payloadProblem, type EvalJob, type EvalReturn, type ScopeRef } from './jobs.ts';
import { encodeExact } from './wire.ts';

export interface WorkerServiceOptions {
  target: RedisTarget;
  /** Engine threads; 0 runs candidates on this thread. */
  threads: number;
  /** How long a job's lock lasts without renewal; a killed worker's job is retried after about this long. */
  lockMs?: number;
  /** Logs one line per event; never a key, a password or a job's document. */
  log: (line: string) => void;
  /** Overrides the engine version this worker declares (tests of the refusal). */
  engineVersion?: string;
  /** Data sets kept decoded in memory (least recently used dropped first); default 4. */
  datasetsKept?: number;
}

export interface WorkerService {
  readonly name: string;
  close(): Promise<void>;
}

/** Back-off when Redis is away: 0.5 s, 1 s, 2 s … capped at 10 s, each attempt logged. */
export function backoff(log: (line: string) => void, label: string) {
  return (times: number) => {
    const ms = Math.min(500 * 2 ** Math.min(times - 1, 5), 10_000);
    log(`redis ${label} unavailable (attempt ${times}); retrying in ${ms} ms`);
    return ms;
  };
}

export async function startWorker(opts: WorkerServiceOptions): Promise<WorkerService> {
  const { target, log } = opts;
  const engineVersion = opts.engineVersion ?? ENGINE_VERSION;
  const name = `${hostname()}:${process.pid}:t${opts.threads}`;
  const connection = redisOptions(target, 'worker', backoff(log, target.label));
  const store = new Redis(connection);
  store.on('error', () => {}); // reported by the retry strategy; an unhandled 'error' would end the process
  const pool = opts.threads > 0 ? createNodePool({ size: opts.threads }) : undefined;
  const factory: EvaluatorFactory = pool ? poolEvaluator(pool) : inProcess();

  // Data sets by fingerprint and scopes by (fingerprint, slice, document): the same objects every time, so
  // the pool keeps each data set in its threads once and each scope keeps one indicator cache.
  // Both are bounded: a long-lived worker serves search after search, and each data set can be hundreds of MB.
  // Map order is recency order (a hit is re-inserted), so the first key is the least recently used.
  const datasets = new Map<string, Promise<MarketData>>();
  const scopes = new Map<string, Evaluator>();
  const keepDatasets = Math.max(1, opts.datasetsKept ?? 4);

  const dataset = (fp: string): Promise<MarketData> => {
    let p = datasets.get(fp);
    if (p) {
      datasets.delete(fp);
      datasets.set(fp, p);
    } else {
      while (datasets.size >= keepDatasets) {
        const old = datasets.keys().next().value!;
        datasets.delete(old);
        for (const k of [...scopes.keys()]) if (k.startsWith(`${old}|`)) scopes.delete(k);
      }
      p = (async () => {
        const bytes = await store.getBuffer(dataKey(fp));
        if (!bytes) throw new UnrecoverableError(`data set ${fp} is not stored in Redis (was it evicted?)`);
        const data = decodeDataset(bytes);
        const actual = datasetFingerprint(data);
        if (actual !== fp) throw new UnrecoverableError(`data fingerprint mismatch: the job names ${fp}, the stored bytes hash to ${actual}`);
        log(`data set ${fp}: ${data.bars.length} symbols, ${data.bars.reduce((n, b) => n + b.length, 0)} bars`);
        return data;
      })();
      p.catch(() => datasets.delete(fp));
      datasets.set(fp, p);
    }
    return p;
  };

  const evaluatorFor = async (ref: ScopeRef, docJson: unknown): Promise<Evaluator> => {
    const key = `${ref.data}|${ref.slice ? `${ref.slice.from}..${ref.slice.to}` : 'all'}|${JSON.stringify(docJson)}`;
    const hit = scopes.get(key);
    if (hit) return hit;
    const parsed = parseDocument(docJson);
    if (!parsed.ok) throw new UnrecoverableError(`document: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    const root = await dataset(ref.data);
    const data = ref.slice ? sliceData(root, ref.slice.from, ref.slice.to) : root;
    const doc: StrategyDocument = parsed.doc;
    const ev = factory({ id: key, doc, data });
    if (scopes.size >= 16) scopes.delete(scopes.keys().next().value!);
    scopes.set(key, ev);
    return ev;
  };

  const evaluate = async (job: Job): Promise<EvalReturn> => {
    const problem = payloadProblem(job.data);
    if (problem) throw new UnrecoverableError(`malformed job: ${problem}`);
    const j = job.data as EvalJob;
    if (j.engineVersion !== engineVersion) {
      throw new UnrecoverableError(`engine version mismatch: the job needs ${j.engineVersion}, this worker runs ${engineVersion}`);
    }
    if (await store.exists(cancelKey(j.searchId))) return { cancelled: true, worker: name };
    const ev = await evaluatorFor(j.scope, j.doc);
    const stats = await ev(j.candidates);
    const results: Record<string, unknown> = {};
    j.hashes.forEach((h, i) => {
      results[h] = stats[i];
    });
    return { results: encodeExact(results), worker: name };
  };

  const lockDuration = opts.lockMs ?? 30_000;
  const common = { connection, name, lockDuration, stalledInterval: lockDuration, maxStalledCount: 5 };
  const evalWorker = new Worker(EVAL_QUEUE, evaluate, { ...common, concurrency: Math.max(1, opts.threads) });
  // The parent of a flow has nothing to compute: it completes once every chunk of its batch has.
  const batchWorker = new Worker(BATCH_QUEUE, async () => ({ done: true }), { ...common, concurrency: 8 });
  for (const w of [evalWorker, batchWorker]) w.on('error', (e) => log(`worker error: ${e.message}`));
  evalWorker.on('failed', (job, e) => log(`job ${job?.id ?? '?'} failed: ${e.message}`));
  await Promise.all([evalWorker.waitUntilReady(), batchWorker.waitUntilReady()]);
  log(`worker ${name} ready on ${target.label} (engine ${engineVersion}, ${opts.threads > 0 ? `${opts.threads} threads` : 'in-process'})`);

  return {
    name,
    async close() {
      await Promise.all([evalWorker.close(), batchWorker.close()]);
      pool?.close();
      store.disconnect();
    },
  };
}
