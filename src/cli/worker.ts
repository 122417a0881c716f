/**
 * npm run worker -- --queue redis://HOST:PORT[/DB] [--threads N]
 *
 * Takes `npm run optimize -- … --queue` jobs from Redis and runs them on this machine's engine threads
 * (default: cores − 1, at least 1). Start one per machine; stop with Ctrl-C (the job in hand finishes).
 */
import { availableParallelism } from 'node:os';
import { parseArgs, UsageError } from './args.ts';
import { parseQueueUrl } from './queue/connection.ts';
import { startWorker } from './queue/worker-service.ts';

export const USAGE = 'usage: npm run worker -- --queue redis://HOST:PORT[/DB] [--threads N] [--lock-ms N]';

const FLAGS = { queue: 'string', threads: 'number', 'lock-ms': 'number' } as const;

export async function workerCli(argv: readonly string[], log: (s: string) => void): Promise<number> {
  let flags;
  try {
    flags = parseArgs(argv, FLAGS);
    if (!flags.queue) throw new UsageError(`--queue is required\n${USAGE}`);
    if (flags.threads !== undefined && !(Number.isInteger(flags.threads) && flags.threads >= 0)) throw new UsageError('--threads must be a whole number ≥ 0');
    if (flags['lock-ms'] !== undefined && !(Number.isInteger(flags['lock-ms']) && flags['lock-ms'] >= 500)) throw new UsageError('--lock-ms must be a whole number ≥ 500');
  } catch (e) {
    log(`error: ${(e as Error).message}`);
    return 2;
  }
  const service = await startWorker({
    target: parseQueueUrl(flags.queue),
    threads: flags.threads ?? Math.max(1, availableParallelism() - 1),
    lockMs: flags['lock-ms'],
    log,
  });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopping: finishing the job in hand');
  await service.close();
  return 0;
}

if (process.argv[1]?.endsWith('worker.ts')) {
  process.exitCode = await workerCli(process.argv.slice(2), (s) => console.error(`[worker] ${s}`));
}
