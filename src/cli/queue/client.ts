/**
 * The optimize client's side of the queue: it stores the data set once under its fingerprint, turns each
 * evaluator call of a search (a grid chunk, the random sample, one genetic generation, each walk-forward
 * window's batches) into one BullMQ flow — a parent job whose children are chunks of candidates — waits for
 * it, and hands the statistics back in candidate order. The search itself runs here, unchanged, so the same
 * seed gives the same result as a local run: only where candidates are evaluated differs.
 */
import { FlowProducer, Job, Queue, QueueEvents, type FlowJob } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ENGINE_VERSION, type MarketData } from '../../engine/index.ts';
import { sliceData, type EvaluationScope, type EvaluatorFactory } from '../../optimize/index.ts';
import type { Stats } from '../../schema/index.ts';
import { monotonicClock } from '../../lib/clock.ts';
import { redisOptions, type RedisTarget } from './connection.ts';
import { datasetFingerprint, encodeDataset } from './dataset.ts';
import { BATCH_QUEUE, cancelKey, dataKey, EVAL_QUEUE, PAYLOAD_VERSION, type EvalJob, type EvalReturn, type ScopeRef } from './jobs.ts';
import { candidateHash, decodeExact } from './wire.ts';

export interface QueueStatus {
  evaluations: number;
  evaluationsPerSecond: number;
  workers: number;
  waiting: number;
  active: number;
  failed: number;
}

export interface QueueClientOptions {
  target: RedisTarget;
  /** Candidates per job; default: the batch spread over twice the engine threads seen, 1–256. */
  chunk?: number;
  /** How long Redis may be unreachable before the search fails. */
  redisTimeoutMs?: number;
  onStatus?: (s: QueueStatus) => void;
  statusEveryMs?: number;
  /** Seconds a stored data set outlives its last use; default one day. Refreshed while a search uses it. */
  dataTtlSeconds?: number;
}

export class QueueError extends Error {
  override name = 'QueueError';
}

const ATTEMPTS = 3;

export class QueueClient {
  readonly searchId = `s${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  private readonly store: Redis;
  private readonly queue: Queue;
  private readonly flows: FlowProducer;
  private readonly events: QueueEvents;
  private readonly stored = new Map<string, Promise<void>>();
  /** When each data set's expiry was last pushed back (ms), so a search touches Redis once a minute, not per batch. */
  private readonly touched = new Map<string, number>();
  private readonly pending = new Set<Job>();
  private readonly abort = new AbortController();
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private evaluations = 0;
  // Intervals (rate, Redis down for how long, when a data set was last kept alive) on the monotonic clock: a
  // wall-clock step forward would end a search as 'lost Redis', a step back would never time it out.
  private readonly started = monotonicClock.now();
  private downSince: number | null = null;
  private threadsSeen = 0;
  /** Once closing, connections stop reconnecting (ioredis retries forever otherwise, keeping the process alive). */
  private closing = false;
  private cancelling: Promise<void> | undefined;
  private readonly retry = () => (this.closing ? null : 500);

  constructor(private readonly opts: QueueClientOptions) {
    const { target } = opts;
    const fast = redisOptions(target, 'client', this.retry);
    this.store = new Redis(fast);
    this.store.on('error', () => {}); // the watchdog reports a lasting outage; single errors are retried
    this.queue = new Queue(EVAL_QUEUE, { connection: fast });
    this.queue.on('error', () => {});
    this.flows = new FlowProducer({ connection: fast });
    this.flows.on('error', () => {});
    this.events = new QueueEvents(BATCH_QUEUE, { connection: redisOptions(target, 'worker', this.retry) });
    this.events.on('error', () => {});
  }

  /** Fails with the reason when Redis cannot be reached within the timeout. */
  async connect(): Promise<void> {
    const timeout = this.opts.redisTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        (async () => {
          while (!this.closing) {
            try {
              await this.store.ping();
              return;
            } catch {
              await new Promise((r) => setTimeout(r, 200));
            }
          }
        })(),
        new Promise((_, fail) => {
          timer = setTimeout(() => fail(new QueueError(`cannot reach Redis at ${this.opts.target.label} within ${timeout} ms`)), timeout);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    await this.events.waitUntilReady();
    this.statusTimer = setInterval(() => void this.poll(), this.opts.statusEveryMs ?? 1000);
  }

  /** The search fails when Redis stays away longer than the timeout; status lines while it is there. */
  private async poll(): Promise<void> {
    try {
      const [counts, workers] = await Promise.all([
        this.queue.getJobCounts('waiting', 'prioritized', 'active', 'failed'),
        this.queue.getWorkers(),
      ]);
      this.downSince = null;
      this.threadsSeen = workers.reduce((n, w) => n + Math.max(1, Number(/:t(\d+)$/.exec(String(w.name))?.[1] ?? 1)), 0);
      const secs = (monotonicClock.now() - this.started) / 1000;
      this.opts.onStatus?.({
        evaluations: this.evaluations,
        evaluationsPerSecond: secs > 0 ? this.evaluations / secs : 0,
        workers: workers.length,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        failed: counts.failed ?? 0,
      });
    } catch (e) {
      this.downSince ??= monotonicClock.now();
      if (monotonicClock.now() - this.downSince > (this.opts.redisTimeoutMs ?? 10_000)) {
        this.abort.abort(new QueueError(`lost Redis at ${this.opts.target.label}: ${(e as Error).message}`));
      }
    }
  }

  /** `fp` when the caller already hashed the data: hashing reads every byte, once per data set is enough. */
  private storeDataset(data: MarketData, fp = datasetFingerprint(data)): { fp: string; ready: Promise<void> } {
    let ready = this.stored.get(fp);
    if (!ready) {
      // Data sets expire so an abandoned search leaves nothing behind for long; one another client stored
      // first (NX refused) gets its expiry pushed back instead, since this search now uses it.
      const ttl = this.dataTtl();
      ready = this.store.set(dataKey(fp), encodeDataset(data), 'EX', ttl, 'NX')
        .then((ok) => (ok === 'OK' ? undefined : this.store.expire(dataKey(fp), ttl).then(() => undefined)))
        .then(() => void this.touched.set(fp, monotonicClock.now()));
      this.stored.set(fp, ready);
    }
    return { fp, ready };
  }

  private dataTtl(): number {
    return Math.max(60, Math.floor(this.opts.dataTtlSeconds ?? 86_400));
  }

  /** Keeps a data set alive while a long search still sends batches over it. */
  private async touch(fp: string): Promise<void> {
    const last = this.touched.get(fp);
    if (last !== undefined && monotonicClock.now() - last < 60_000) return;
    this.touched.set(fp, monotonicClock.now());
    await this.store.expire(dataKey(fp), this.dataTtl());
  }

  /**
   * A scope as a reference the workers can rebuild: the root data set, or a window of it when the scope's
   * bars are exactly sliceData(root, first, last); anything else is stored as a data set of its own.
   */
  private describe(scope: EvaluationScope, root: MarketData, rootFp: string): { ref: ScopeRef; ready: Promise<void> } {
    if (scope.data === root) return { ref: { data: rootFp, slice: null }, ready: this.storeDataset(root, rootFp).ready };
    let from = Infinity, to = -Infinity;
    for (const b of scope.data.bars) {
      if (b.length === 0) continue;
      from = Math.min(from, b.time[0]!);
      to = Math.max(to, b.time[b.length - 1]!);
    }
    if (from <= to) {
      const again = sliceData(root, from, to);
      const same = again.bars.length === scope.data.bars.length
        && again.bars.every((b, i) => {
          const s = scope.data.bars[i]!;
          return b.symbol === s.symbol && b.length === s.length && b.time.buffer === s.time.buffer && b.time.byteOffset === s.time.byteOffset;
        })
        && (again.series?.length ?? -1) === (scope.data.series?.length ?? -1)
        && (again.series ?? []).every((s, i) => s.length === scope.data.series![i]!.length);
      if (same) return { ref: { data: rootFp, slice: { from, to } }, ready: this.storeDataset(root, rootFp).ready };
    }
    const own = this.storeDataset(scope.data);
    return { ref: { data: own.fp, slice: null }, ready: own.ready };
  }

  private chunkSize(n: number): number {
    if (this.opts.chunk) return this.opts.chunk;
    return Math.min(256, Math.max(1, Math.ceil(n / (2 * Math.max(1, this.threadsSeen)))));
  }

  /** The optimizer's evaluator factory for a search over `root`. */
  factory(root: MarketData): EvaluatorFactory {
    const rootFp = datasetFingerprint(root);
    return (scope) => {
      const { ref, ready } = this.describe(scope, root, rootFp);
      const docJson = JSON.parse(JSON.stringify(scope.doc)) as unknown;
      const scopeKey = `${ref.data}|${ref.slice ? `${ref.slice.from}..${ref.slice.to}` : 'all'}|${scope.id}`;
      return async (candidates) => {
        if (candidates.length === 0) return [];
        await ready;
        await this.touch(ref.data);
        const hashes = candidates.map((c) => candidateHash(scopeKey, c));
        const size = this.chunkSize(candidates.length);
        const children: FlowJob[] = [];
        for (let i = 0; i < candidates.length; i += size) {
          const data: EvalJob = {
            v: PAYLOAD_VERSION, searchId: this.searchId, engineVersion: ENGINE_VERSION, scope: ref, doc: docJson,
            candidates: candidates.slice(i, i + size).map((c) => ({ ...c })), hashes: hashes.slice(i, i + size),
          };
          children.push({
            name: 'eval', queueName: EVAL_QUEUE, data,
            opts: { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 500 }, failParentOnFailure: true },
          });
        }
        const tree = await this.flows.add({ name: 'batch', queueName: BATCH_QUEUE, data: { searchId: this.searchId, candidates: candidates.length }, children });
        const byHash = await this.settle(tree.job, (tree.children ?? []).map((c) => c.job.id!));
        const out: Stats[] = hashes.map((h, i) => {
          const s = byHash.get(h);
          if (!s) throw new QueueError(`no result came back for candidate ${JSON.stringify(candidates[i])}`);
          return s;
        });
        this.evaluations += candidates.length;
        return out;
      };
    };
  }

  /** Waits for a flow; merges its chunks' results by candidate hash (a repeat counts once). */
  private async settle(parent: Job, childIds: string[]): Promise<Map<string, Stats>> {
    this.pending.add(parent);
    try {
      const signal = this.abort.signal;
      signal.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        parent.waitUntilFinished(this.events).then(() => resolve(), async (e: Error) => {
          reject(new QueueError(await this.failureOf(childIds) ?? e.message));
        }).finally(() => signal.removeEventListener('abort', onAbort));
      });
      const values = await parent.getChildrenValues<EvalReturn>();
      const merged = new Map<string, Stats>();
      for (const v of Object.values(values)) {
        if (v.cancelled) throw new QueueError('the search was cancelled');
        const part = decodeExact<Record<string, Stats>>(v.results ?? '{}');
        for (const [h, s] of Object.entries(part)) if (!merged.has(h)) merged.set(h, s);
      }
      await parent.remove().catch(() => {});
      return merged;
    } finally {
      this.pending.delete(parent);
    }
  }

  /** The first failed chunk's reason ("engine version mismatch …"), for the user. */
  private async failureOf(childIds: string[]): Promise<string | null> {
    for (const id of childIds) {
      const job = await Job.fromId(this.queue, id).catch(() => undefined);
      if (job?.failedReason) return `a job failed on a worker: ${job.failedReason}`;
    }
    return null;
  }

  /** Ctrl-C: workers skip this search's remaining chunks; its queued flows are removed. */
  cancel(): Promise<void> {
    const flows = [...this.pending];
    this.cancelling ??= (async () => {
      await this.store.set(cancelKey(this.searchId), '1', 'EX', 3600).catch(() => {});
      await Promise.all(flows.map((j) => j.remove().catch(() => {})));
    })();
    this.abort.abort(new QueueError('the search was cancelled'));
    return this.cancelling;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Closes gracefully while Redis answers; disconnects at once when it does not (a close would wait for it). */
  async close(): Promise<void> {
    clearInterval(this.statusTimer);
    await this.cancelling;
    this.closing = true;
    const parts = [this.flows, this.events, this.queue];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceful = Promise.allSettled(parts.map((p) => p.close())).then(() => true);
    const late = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), 1_000);
    });
    if (!(await Promise.race([graceful, late]))) void Promise.allSettled(parts.map((p) => p.disconnect()));
    clearTimeout(timer);
    this.store.disconnect();
  }
}
