/**
 * npm run optimize -- --strategy <file> --data <csv file | directory> [--series <csv file | directory>]
 *   [data and cost flags of backtest]
 *   --method grid|random|genetic [--evaluations N] [--objective sharpe|sortino|cagr|calmar|return | sharpe=1,calmar=0.5]
 *   [--seed N] [--min-trades N] [--max-drawdown PCT] [--walk-forward IN/OUT [--anchored]] [--population N]
 *   [--bootstrap N] [--heatmap X,Y] [--workers N [--sweep-budget MIB]] [--queue redis://HOST:PORT[/DB] [--chunk N]] [--json]
 */
import { isMetric, METHODS, optimize, parseWindowSizes, poolEvaluator, SpaceError, type Method, type Objective, type OptimizeOptions } from '../optimize/index.ts';
import type { MarketData } from '../engine/index.ts';
import { prepareData } from '../rpc/pool-data.ts';
import { parseArgs, UsageError } from './args.ts';
import { actionsFromFlags, applyFlags, DetailedUsageError, DATA_FLAGS, finerFor, loadBars, readDocument, separateFiner, seriesFromFlags } from './inputs.ts';
import { createNodePool } from './node-pool.ts';
import { parseQueueUrl } from './queue/connection.ts';
import { QueueClient, type QueueStatus } from './queue/client.ts';
import { optimizeHuman, optimizeJson } from './optimize-format.ts';
import { robustness } from './optimize-robustness.ts';

export const USAGE = 'usage: npm run optimize -- --strategy <file> --data <csv file | directory> [--series <csv file | directory> [--series-lag 35d]] [--actions <csv file | directory>] --method grid|random|genetic [--evaluations N] [--objective sharpe|sortino|cagr|calmar|return] [--seed N] [--min-trades N] [--max-drawdown PCT] [--walk-forward IN/OUT] [--anchored] [--population N] [--top N] [--bootstrap N] [--heatmap X,Y] [--workers N [--sweep-budget MIB]] [--queue redis://HOST:PORT[/DB]] [--chunk N] [--queue-timeout MS] [--json] [--symbol S] [--cash N] [--commission F] [--slippage-bps N] [--fill next-open|close] [--whole-units | --fractional] [--from DATE] [--to DATE] [--strict]';

const FLAGS = {
  ...DATA_FLAGS,
  method: 'string',
  evaluations: 'number',
  objective: 'string',
  seed: 'number',
  'min-trades': 'number',
  'max-drawdown': 'number',
  'walk-forward': 'string',
  anchored: 'boolean',
  population: 'number',
  top: 'number',
  bootstrap: 'number',
  heatmap: 'string',
  workers: 'number',
  'sweep-budget': 'number',
  queue: 'string',
  chunk: 'number',
  'queue-timeout': 'number',
} as const;

const MIB = 1024 * 1024;
/** --sweep-budget's ceiling: 64 GiB, past any machine this runs on (a typo's extra zeros are refused, not tried). */
const MAX_SWEEP_BUDGET_MIB = 65_536;

/** "sharpe", or a weighted mix "sharpe=1,calmar=0.5". */
export function parseObjective(text: string): Objective {
  const names = 'sharpe, sortino, cagr, calmar, return';
  if (!text.includes('=')) {
    if (!isMetric(text)) throw new UsageError(`--objective: expected one of ${names} or a mix like sharpe=1,calmar=0.5, got "${text}"`);
    return text;
  }
  const weights: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name = '', w = ''] = part.split('=').map((s) => s.trim());
    if (!isMetric(name) || w === '' || !Number.isFinite(Number(w))) throw new UsageError(`--objective: "${part}" is not metric=weight (metrics: ${names})`);
    weights[name] = Number(w);
  }
  return { weights };
}

function wholeAtLeast(name: string, v: number | undefined, min: number): number | undefined {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new UsageError(`--${name} must be a whole number ≥ ${min}`);
  return v;
}

/** One status line on stderr while a queued search runs. */
export function queueStatusLine(s: QueueStatus): string {
  return `queue: ${s.evaluations} evaluations (${s.evaluationsPerSecond.toFixed(0)}/s), workers ${s.workers}, jobs waiting ${s.waiting}, active ${s.active}, failed ${s.failed}`;
}

export async function optimizeCli(
  argv: readonly string[], out: (s: string) => void, err: (s: string) => void,
  interrupt: (cancel: () => void) => void = onCtrlC,
): Promise<number> {
  let pool: ReturnType<typeof createNodePool> | undefined;
  let queue: QueueClient | undefined;
  try {
    const flags = parseArgs(argv, FLAGS);
    if (!flags.strategy || !flags.data || !flags.method) throw new UsageError(`--strategy, --data and --method are required\n${USAGE}`);
    if (!METHODS.includes(flags.method as Method)) throw new UsageError(`--method is one of ${METHODS.join(', ')}, got "${flags.method}"`);
    if (flags.anchored && !flags['walk-forward']) throw new UsageError('--anchored needs --walk-forward');
    const workers = wholeAtLeast('workers', flags.workers, 0) ?? 0;
    if (flags.queue && workers > 0) throw new UsageError('--queue and --workers exclude each other: queue workers bring their own threads');
    const budget = flags['sweep-budget'];
    if (budget !== undefined && !(budget > 0 && budget <= MAX_SWEEP_BUDGET_MIB)) throw new UsageError(`--sweep-budget is MiB of shared sweep columns, more than 0 and at most ${MAX_SWEEP_BUDGET_MIB}`);
    if (budget !== undefined && workers === 0) throw new UsageError('--sweep-budget needs --workers: it bounds the columns the worker pool shares');
    const chunk = wholeAtLeast('chunk', flags.chunk, 1);
    if (chunk !== undefined && !flags.queue) throw new UsageError('--chunk needs --queue');
    const target = flags.queue ? parseQueueUrl(flags.queue) : undefined;
    const checks = { bootstrap: wholeAtLeast('bootstrap', flags.bootstrap, 1), heatmap: flags.heatmap };
    const options: OptimizeOptions = {
      method: flags.method as Method,
      evaluations: wholeAtLeast('evaluations', flags.evaluations, 1),
      objective: parseObjective(flags.objective ?? 'sharpe'),
      seed: flags.seed,
      constraints: { minTrades: flags['min-trades'], maxDrawdownPct: flags['max-drawdown'] },
      genetic: { population: wholeAtLeast('population', flags.population, 2) },
      top: wholeAtLeast('top', flags.top, 1),
      walkForward: flags['walk-forward'] ? { ...parseWindowSizes(flags['walk-forward']), anchored: flags.anchored ?? false } : undefined,
    };
    const doc = readDocument(flags.strategy);
    const loaded = separateFiner(await loadBars(flags.data, flags, err), doc.settings.timeframe);
    const run = applyFlags(doc, flags, loaded.bars);
    const finer = finerFor(run, loaded.finer, err);
    const series = await seriesFromFlags(flags, err);
    const actions = actionsFromFlags(flags, run, err);
    let data: MarketData = { bars: loaded.bars, ...(finer ? { finer } : {}), series, ...(actions ? { actions } : {}) };
    if (workers > 0) {
      pool = createNodePool({ size: workers, ...(budget !== undefined ? { sweepBudgetBytes: Math.round(budget * MIB) } : {}) });
      // Columns in shared memory once, so every window's slice reaches the workers as views, not copies.
      if (pool.shared) data = prepareData(data, true);
    }
    let factory = pool && poolEvaluator(pool);
    let signal: AbortSignal | undefined;
    if (target) {
      queue = new QueueClient({ target, chunk, redisTimeoutMs: flags['queue-timeout'], onStatus: (st) => err(queueStatusLine(st)) });
      const q = queue;
      interrupt(() => void q.cancel());
      await q.connect();
      factory = q.factory(data);
      signal = q.signal;
    }
    const result = await optimize(run, data, options, factory, undefined, signal);
    const extra = await robustness(run, data, options, result, checks, factory);
    const where = target ? `queue ${target.label}` : undefined;
    const sweep = pool && { groups: pool.counters.sweepGroups, buffersReused: pool.counters.sweepBuffersReused };
    out(flags.json ? optimizeJson(result, workers, extra, where, sweep) : optimizeHuman(result, workers, extra, where));
    return 0;
  } catch (e) {
    err(`error: ${(e as Error).message.split('\n')[0]}`);
    if (e instanceof DetailedUsageError) err(e.detail);
    return e instanceof UsageError || e instanceof SpaceError ? 2 : 1;
  } finally {
    pool?.close();
    await queue?.close();
  }
}

/** Ctrl-C cancels the search (and its queued jobs); a second Ctrl-C exits at once. */
function onCtrlC(cancel: () => void): void {
  process.once('SIGINT', () => {
    process.stderr.write('cancelling: removing queued jobs\n');
    cancel();
    process.once('SIGINT', () => process.exit(130));
  });
}

if (process.argv[1]?.endsWith('optimize.ts')) {
  process.exitCode = await optimizeCli(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s));
}
