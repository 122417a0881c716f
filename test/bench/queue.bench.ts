/**
 * The Redis queue path against the local pool on the same search (issue 18): W1, 1,000 genetic evaluations
 * (a flow per generation) and 1,000 random ones (one flow of chunks), through `optimize()` with the queue's
 * evaluator and `npm run worker` processes on a redis-server this bench starts on 127.0.0.1 and stops.
 * Reports evaluations/s with 1 and 2 worker processes (one engine thread each) and the overhead per
 * candidate against the in-process run. Skipped when redis-server is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseQueueUrl } from '../../src/cli/queue/connection.ts';
import { QueueClient } from '../../src/cli/queue/client.ts';
import { optimize, type OptimizeOptions, type OptimizeResult } from '../../src/optimize/index.ts';
import { REDIS_SERVER, startRedis } from '../helpers/redis.ts';
import { PROJECT_ROOT } from '../helpers/shared-data.ts';
import type { BenchRow, BenchSuite } from './harness.ts';
import { w1 } from './workloads.ts';

function spawnWorker(url: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/worker.ts'), '--queue', url, '--threads', '1'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((ok, fail) => {
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes(' ready on ')) ok(proc);
    });
    proc.once('exit', () => fail(new Error(`worker exited: ${log}`)));
  });
}

const suite: BenchSuite = {
  name: 'queue',
  async run({ quick }) {
    const rows: Record<string, BenchRow> = {};
    if (!REDIS_SERVER) {
      console.warn('[skipped] queue bench: redis-server is not installed');
      return rows;
    }
    const { doc, data } = w1();
    const budget = quick ? 300 : 1000;
    const searches: Record<string, OptimizeOptions> = {
      genetic: { method: 'genetic', evaluations: budget, seed: 1, genetic: { patience: 1000 } },
      random: { method: 'random', evaluations: budget, seed: 2, batchSize: budget },
    };
    const local: Record<string, OptimizeResult> = {};
    await optimize(doc, data, { ...searches.genetic!, evaluations: 200 }); // JIT warm-up
    for (const [name, o] of Object.entries(searches)) {
      local[name] = await optimize(doc, data, o);
      rows[`W1 ${name} ${budget}, in-process`] = { evaluations: local[name].evaluations, seconds: local[name].elapsedMs / 1000, evaluationsPerSecond: local[name].evaluationsPerSecond };
    }
    const redis = await startRedis();
    const workers: ChildProcess[] = [];
    try {
      for (const n of [1, 2]) {
        while (workers.length < n) workers.push(await spawnWorker(redis.url));
        const q = new QueueClient({ target: parseQueueUrl(redis.url) });
        try {
          await q.connect();
          // Workers load the data set and warm their engine before the clock runs.
          await optimize(doc, data, { method: 'random', evaluations: 100, seed: 99 }, q.factory(data));
          for (const [name, o] of Object.entries(searches)) {
            const r = await optimize(doc, data, o, q.factory(data));
            const same = JSON.stringify(r.best) === JSON.stringify(local[name]!.best);
            rows[`W1 ${name} ${budget}, queue ×${n} worker process${n > 1 ? 'es' : ''}`] = {
              evaluations: r.evaluations, seconds: r.elapsedMs / 1000, evaluationsPerSecond: r.evaluationsPerSecond,
              overheadMsPerCandidate: (r.elapsedMs - local[name]!.elapsedMs) / r.evaluations, sameBest: same,
            };
          }
        } finally {
          await q.close();
        }
      }
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await redis.stop();
    }
    return rows;
  },
};
export default suite;
