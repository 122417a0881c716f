/**
 * --series in backtest, optimize and live (issue 11 item 4): external series files reach the run, keyed by
 * the time a value became known, with an optional publication lag; bad inputs are usage errors naming what.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestCli } from '../../../src/cli/backtest.ts';
import { liveCli } from '../../../src/cli/live.ts';
import { optimizeCli } from '../../../src/cli/optimize.ts';
import { tempFiles } from '../../helpers/temp-files.ts';

const { dir, write } = tempFiles('cli-series-');
const day = (i: number) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);

/** 30 daily bars (every calendar day), open = close = 100 + i, so a fill's price names its bar. */
const DATA = write('ZIG.csv', ['time,open,high,low,close,volume', ...Array.from({ length: 30 }, (_, i) => `${day(i)},${100 + i},${101 + i},${99 + i},${100 + i},1000`)].join('\n'));

/** "cpi" (global): 1 from Jan 1, 3 from Jan 10, 1 from Jan 20; a date-only time is that day's start (UTC), as for daily bars. */
const SERIES = write('cpi.csv', 'date,value\n2020-01-01,1\n2020-01-10,3\n2020-01-20,1\n');

const STRATEGY = write('macro.json', JSON.stringify({
  version: 1,
  name: 'Macro switch',
  settings: { universe: ['ZIG'], timeframe: '1d', initialCash: 10_000, units: 'whole' },
  parameters: { level: { default: 2, min: 2, max: 2.5, step: 0.5 } },
  strategies: [
    { id: 'in', name: 'in', condition: { all: [{ lhs: { kind: 'series', name: 'cpi', global: true }, op: '>', rhs: { $param: 'level' } }, { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 }] }, action: { type: 'buy', amount: { unit: 'all' } } },
    { id: 'out', name: 'out', condition: { all: [{ lhs: { kind: 'series', name: 'cpi', global: true }, op: '<', rhs: { $param: 'level' } }, { lhs: { kind: 'position', field: 'quantity' }, op: '>', rhs: 0 }] }, action: { type: 'sell', amount: { unit: 'all' } } },
  ],
}));

async function backtest(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await backtestCli(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err };
}

describe('--series', () => {
  it('backtest reads a value from the first bar starting at or after it was known: Jan 10 signals at that bar, fills at the Jan 11 open', async () => {
    const r = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', SERIES, '--json');
    expect(r.code).toBe(0);
    const { trades } = JSON.parse(r.out) as { trades: { entryTime: string; exitTime: string; entryPrice: number; exitPrice: number }[] };
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ entryTime: '2020-01-11T00:00:00.000Z', entryPrice: 110, exitTime: '2020-01-21T00:00:00.000Z', exitPrice: 120 });
    expect(r.err).toEqual([expect.stringMatching(/^note: series "cpi" from .*cpi\.csv: 3 value\(s\) \(global\), known at column "date"$/)]);
  });

  it('--series-lag shifts every value by the publication lag (2 days later here)', async () => {
    const r = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', SERIES, '--series-lag', '2d', '--json');
    expect(r.code).toBe(0);
    const { trades } = JSON.parse(r.out) as { trades: { entryTime: string; exitTime: string }[] };
    expect(trades[0]).toMatchObject({ entryTime: '2020-01-13T00:00:00.000Z', exitTime: '2020-01-23T00:00:00.000Z' });
    expect(r.err[0]).toMatch(/\+ 2d publication lag$/);
  });

  it('a directory loads every .csv in it; two files giving the same series are refused', async () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    writeFileSync(join(d, 'cpi.csv'), 'date,value\n2020-01-10,3\n');
    writeFileSync(join(d, 'other.csv'), 'date,gdp\n2020-01-10,3\n');
    const ok = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', d, '--json');
    expect(ok.code).toBe(0);
    expect(ok.err).toHaveLength(2);
    writeFileSync(join(d, 'cpi-again.csv'), 'date,cpi\n2020-01-11,3\n');
    const dup = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', d);
    expect(dup.code).toBe(2);
    expect(dup.err.at(-1)).toMatch(/cpi\.csv: series "cpi" is also in .*cpi-again\.csv$/);
  });

  it('without the series the run says which one is missing; bad flags are usage errors', async () => {
    const missing = await backtest('--strategy', STRATEGY, '--data', DATA);
    expect(missing.code).toBe(1);
    expect(missing.err.at(-1)).toMatch(/series "cpi" \(global\) is not loaded/);
    const lag = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', SERIES, '--series-lag', 'a month');
    expect([lag.code, lag.err.at(-1)]).toEqual([2, 'error: --series-lag: expected a duration like 35d or 12h, got "a month"']);
    const alone = await backtest('--strategy', STRATEGY, '--data', DATA, '--series-lag', '2d');
    expect([alone.code, alone.err.at(-1)]).toEqual([2, 'error: --series-lag needs --series']);
    const nofile = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', join(dir, 'nope.csv'));
    expect(nofile.code).toBe(2);
    expect(nofile.err.at(-1)).toMatch(/^error: cannot read series .*nope\.csv: ENOENT$/);
    const empty = await backtest('--strategy', STRATEGY, '--data', DATA, '--series', write('empty.csv', 'date,value\n2020-01-01,x\n'));
    expect(empty.code).toBe(2);
    expect(empty.err.at(-1)).toMatch(/empty\.csv: no usable rows for series "empty"$/);
  });

  it('optimize passes the series to every candidate', async () => {
    const out: string[] = [], err: string[] = [];
    const code = await optimizeCli(['--strategy', STRATEGY, '--data', DATA, '--series', SERIES, '--method', 'grid', '--objective', 'return', '--json'], (s) => out.push(s), (s) => err.push(s));
    expect(err.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as { evaluations: number; best: { params: Record<string, number>; stats: { tradeCount: number } } };
    expect(json.evaluations).toBe(2);
    expect(json.best.stats.tradeCount).toBe(1);
  });

  it('live practice (sim broker) reads the series as the backtest does', async () => {
    const out: string[] = [], err: string[] = [];
    const code = await liveCli(['--strategy', STRATEGY, '--broker', 'sim', '--state', join(dir, 'state'), '--data', DATA, '--series', SERIES, '--max-steps', '30', '--json'],
      { env: {}, out: (s) => out.push(s), err: (s) => err.push(s), sleep: async () => {} });
    expect(code).toBe(0);
    const fills = out.map((l) => JSON.parse(l) as { type: string; time?: number; price?: number }).filter((e) => e.type === 'fill');
    expect(fills.map((f) => f.price)).toEqual([110, 120]);
  });
});
