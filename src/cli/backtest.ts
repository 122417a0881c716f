/**
 * npm run backtest -- --strategy <file> --data <csv file | directory> [--series <csv file | directory>
 *   [--series-lag DURATION]] [--actions <csv file | directory>] [--symbol S] [--cash N]
 *   [--commission F] [--slippage-bps N] [--fill next-open|close] [--whole-units | --fractional]
 *   [--from DATE] [--to DATE] [--strict] [--json]
 */
import { runBacktest } from '../engine/index.ts';
import { parseArgs, UsageError } from './args.ts';
import { humanReport, resultJson } from './format.ts';
import { actionsFromFlags, applyFlags, DetailedUsageError, DATA_FLAGS, finerFor, loadBars, readDocument, separateFiner, seriesFromFlags } from './inputs.ts';

export const USAGE = 'usage: npm run backtest -- --strategy <file> --data <csv file | directory> [--series <csv file | directory> [--series-lag 35d]] [--actions <csv file | directory>] [--symbol S] [--cash N] [--commission F] [--slippage-bps N] [--fill next-open|close] [--whole-units | --fractional] [--from DATE] [--to DATE] [--strict] [--json]';

export async function backtestCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    const flags = parseArgs(argv, DATA_FLAGS);
    if (!flags.strategy || !flags.data) throw new UsageError(`--strategy and --data are required\n${USAGE}`);
    const doc = readDocument(flags.strategy);
    const loaded = separateFiner(await loadBars(flags.data, flags, err), doc.settings.timeframe);
    const run = applyFlags(doc, flags, loaded.bars);
    const finer = finerFor(run, loaded.finer, err);
    const series = await seriesFromFlags(flags, err);
    const actions = actionsFromFlags(flags, run, err);
    // No condition traces: nothing printed reads them (the fast path's W2 took 0.53 s without, 1.9 s with).
    const result = runBacktest(run, { bars: loaded.bars, ...(finer ? { finer } : {}), series, ...(actions ? { actions } : {}) }, { audit: false });
    if (flags.json) {
      out(JSON.stringify(resultJson(result)));
    } else {
      out(humanReport(result));
    }
    return 0;
  } catch (e) {
    err(`error: ${(e as Error).message.split('\n')[0]}`);
    if (e instanceof DetailedUsageError) err(e.detail);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (process.argv[1]?.endsWith('backtest.ts')) {
  process.exitCode = await backtestCli(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s));
}
