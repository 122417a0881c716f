import { openDB, type IDBPDatabase } from 'idb';
import { monotonicClock, wallClock, type Clock } from '../lib/clock.ts';
import type { RunResult, Stats, StrategyDocument } from '../schema/index.ts';
import { abortError, isAbortError, type EnginePool, type PoolPhase, type RunRequest } from './pool.ts';
import { throttle } from './throttle.ts';

export type JobState = 'QUEUED' | 'WARMING_UP' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export const TERMINAL: readonly JobState[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
export const INTERRUPTED = 'interrupted by reload';

/** One job as IndexedDB keeps it. Times are epoch ms from the queue's clock. */
export interface JobRecord {
  id: string;
  kind: 'run' | 'batch';
  name: string;
  /** The page session that ran it; a session whose page is gone cannot finish its jobs. */
  session: string;
  state: JobState;
  /** Runs in the job (1 for a single run). */
  runs: number;
  queuedAt: number;
  warmingUpAt: number | null;
  runningAt: number | null;
  endedAt: number | null;
  error: string | null;
  /** The (first) document, so history can show and re-run it. */
  doc: StrategyDocument;
  /** Statistics of a completed single run (results themselves are the caller's). */
  stats: Stats | null;
}

export interface SubmitOptions {
  name?: string;
  signal?: AbortSignal;
  onState?: (job: JobRecord) => void;
  /** 0…1, at most 10 per second. */
  onProgress?: (fraction: number) => void;
}

export interface JobHandle<T> {
  id: string;
  /** Settles after the terminal state is stored; a cancel rejects with an AbortError. */
  result: Promise<T>;
}

export interface JobQueueOptions {
  pool: EnginePool;
  /**
   * Times the jobs' records (epoch ms) and, when given, their progress throttling; by default the records
   * read the wall clock and the throttle a monotonic one (a wall-clock step back would hold progress back).
   */
  clock?: Clock;
  /** Its own database, apart from the data layer's catalog. */
  dbName?: string;
  session?: string;
  /** Whether another live page holds `session`; default: Web Locks (each open queue holds one lock). */
  sessionAlive?: (session: string) => Promise<boolean>;
  progressIntervalMs?: number;
}

const STORE = 'jobs';
const lockName = (db: string, session: string) => `${db}/session/${session}`;

/**
 * Backtest jobs persisted in IndexedDB: QUEUED → WARMING_UP → RUNNING → COMPLETED | FAILED | CANCELLED,
 * executed on an EnginePool.
 *
 * Reload rule: a job lives in the page that submitted it (its data sit in that page's memory and only
 * that page awaits its result). So when a queue opens, every unfinished job of a session that is no
 * longer alive is marked FAILED "interrupted by reload" rather than re-queued: re-running it would spend
 * the cores on a result nobody waits for, and the user re-runs from history in one click. Jobs of another
 * open tab (its session lock is held) are left alone.
 */
export class JobQueue {
  private readonly live = new Map<string, { ctl: AbortController; reject: (e: unknown) => void }>();
  private readonly listeners = new Set<(job: JobRecord) => void>();
  private writes: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private closed = false;

  private constructor(
    private readonly db: IDBPDatabase,
    private readonly pool: EnginePool,
    private readonly clock: Clock,
    /** Times progress throttling. */
    private readonly ticks: Clock,
    readonly session: string,
    private readonly interval: number,
    private readonly unlock: () => void,
    /** Jobs this open found unfinished from a dead session and marked FAILED. */
    readonly recovered: JobRecord[] = [],
  ) {}

  static async open(opts: JobQueueOptions): Promise<JobQueue> {
    const dbName = opts.dbName ?? 'backtester-jobs';
    const clock = opts.clock ?? wallClock;
    const session = opts.session ?? crypto.randomUUID();
    const db = await openDB(dbName, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: 'id' });
      },
    });
    const unlock = await holdLock(lockName(dbName, session));
    const alive = opts.sessionAlive ?? ((s: string) => lockHeld(lockName(dbName, s)));
    const recovered: JobRecord[] = [];
    for (const job of (await db.getAll(STORE)) as JobRecord[]) {
      if (TERMINAL.includes(job.state) || job.session === session || (await alive(job.session))) continue;
      const failed: JobRecord = { ...job, state: 'FAILED', endedAt: clock.now(), error: INTERRUPTED };
      await db.put(STORE, failed);
      recovered.push(failed);
    }
    return new JobQueue(db, opts.pool, clock, opts.clock ?? monotonicClock, session, opts.progressIntervalMs ?? 100, unlock, recovered);
  }

  submit(req: RunRequest, opts: SubmitOptions = {}): JobHandle<RunResult> {
    return this.start('run', [req], opts, (ctl, phase, progress) =>
      this.pool.run(req, { signal: ctl.signal, onPhase: phase, onProgress: progress }));
  }

  /** Many documents or parameter sets as one job, spread over the pool; results in input order. */
  submitBatch(reqs: readonly RunRequest[], opts: SubmitOptions = {}): JobHandle<RunResult[]> {
    if (reqs.length === 0) throw new RangeError('a batch needs at least one run');
    return this.start('batch', reqs, opts, (ctl, phase, progress) =>
      this.pool.runBatch(reqs, { signal: ctl.signal, onPhase: phase, onProgress: (done, total) => progress(done / total) }));
  }

  /** Requests a cancel; false when the job is not running in this page. */
  cancel(id: string): boolean {
    const job = this.live.get(id);
    job?.ctl.abort();
    return !!job;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    await this.writes;
    return (await this.db.get(STORE, id)) as JobRecord | undefined;
  }

  /** All jobs, oldest first. */
  async list(): Promise<JobRecord[]> {
    await this.writes;
    return ((await this.db.getAll(STORE)) as JobRecord[]).sort((a, b) => a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : 1));
  }

  /** Called with each stored state change of any job of this queue. */
  subscribe(listener: (job: JobRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * What a page unload does: this session's runs are abandoned (stopped in the pool, nothing more stored),
   * its lock is released and the database closed. The next queue to open marks them interrupted.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { ctl, reject } of this.live.values()) {
      reject(abortError('job queue closed'));
      ctl.abort();
    }
    this.live.clear();
    this.unlock();
    this.db.close();
  }

  private start<T>(
    kind: JobRecord['kind'], reqs: readonly RunRequest[], opts: SubmitOptions,
    exec: (ctl: AbortController, phase: (p: PoolPhase) => void, progress: (f: number) => void) => Promise<T>,
  ): JobHandle<T> {
    if (this.closed) throw new Error('job queue is closed');
    const first = reqs[0]!;
    const id = `${this.session}:${++this.seq}`;
    let job: JobRecord = {
      id, kind, name: opts.name ?? first.doc.name, session: this.session, state: 'QUEUED', runs: reqs.length,
      queuedAt: this.clock.now(), warmingUpAt: null, runningAt: null, endedAt: null, error: null, doc: first.doc, stats: null,
    };
    const set = (patch: Partial<JobRecord>) => {
      job = { ...job, ...patch };
      return this.store(job, opts.onState);
    };
    void set({});
    const ctl = new AbortController();
    const abort = () => ctl.abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    if (opts.signal?.aborted) ctl.abort();
    const phase = (p: PoolPhase) => {
      if (p === 'warmingUp' && job.state === 'QUEUED') void set({ state: 'WARMING_UP', warmingUpAt: this.clock.now() });
      if (p === 'running' && (job.state === 'QUEUED' || job.state === 'WARMING_UP')) void set({ state: 'RUNNING', runningAt: this.clock.now() });
    };
    const progress = opts.onProgress ? throttle(this.ticks, this.interval, opts.onProgress) : () => undefined;
    const result = new Promise<T>((resolve, reject) => {
      this.live.set(id, { ctl, reject });
      const end = (patch: Partial<JobRecord>, settle: () => void) => {
        opts.signal?.removeEventListener('abort', abort);
        if (!this.live.delete(id)) return; // closed meanwhile: the page is gone, nothing more is stored
        void set({ ...patch, endedAt: this.clock.now() }).then(settle, settle);
      };
      exec(ctl, phase, progress).then(
        (v) => end({ state: 'COMPLETED', stats: kind === 'run' ? (v as RunResult).stats : null }, () => resolve(v)),
        (e: unknown) => {
          const cancelled = ctl.signal.aborted && isAbortError(e);
          end(cancelled ? { state: 'CANCELLED' } : { state: 'FAILED', error: e instanceof Error ? e.message : String(e) },
            () => reject(cancelled ? abortError() : e));
        },
      );
    });
    return { id, result };
  }

  /** Writes in submission order (one chain), so a late write never overtakes a newer state. */
  private store(job: JobRecord, onState?: (job: JobRecord) => void): Promise<void> {
    const next = this.writes.then(async () => {
      if (this.closed) return;
      // Relaxed: a job row is bookkeeping, not worth waiting for a disk flush on every state change.
      const tx = this.db.transaction(STORE, 'readwrite', { durability: 'relaxed' });
      await Promise.all([tx.store.put(job), tx.done]);
      onState?.(job);
      for (const l of this.listeners) l(job);
    });
    this.writes = next.catch(() => undefined);
    return next;
  }
}

type Locks = { request(name: string, cb: () => Promise<void>): Promise<void>; query(): Promise<{ held?: { name?: string }[] }> };
const locks = (): Locks | undefined => (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;

/** Holds a Web Lock until the returned function is called (no-op where Web Locks do not exist). */
async function holdLock(name: string): Promise<() => void> {
  const l = locks();
  if (!l) return () => undefined;
  let release = () => undefined as void;
  await new Promise<void>((granted) => {
    void l.request(name, () => new Promise<void>((r) => { release = r; granted(); }));
  });
  return release;
}

async function lockHeld(name: string): Promise<boolean> {
  const l = locks();
  if (!l) return false;
  const { held = [] } = await l.query();
  return held.some((h) => h.name === name);
}
