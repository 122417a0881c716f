/**
 * The CLI feeds the bar magnifier: a --data directory holding a symbol's daily file and its minute files
 * gives a finerData document the minutes (joined, cut to the range) and says what it used. The bars are
 * the hand-computed "up first" day of test/unit/engine/exits.test.ts: the daily bar holds both the stop
 * (9.5) and the target (11); the minutes show the target traded first.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestCli } from '../../../src/cli/backtest.ts';
import { optimizeCli } from '../../../src/cli/optimize.ts';

const root = mkdtempSync(join(tmpdir(), 'cli-finer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const iso = (t: number) => new Date(t).toISOString();
const day = (n: number) => Date.UTC(2024, 0, n);
const DAILY = [[day(1), 10, 10, 10, 10, 1], [day(2), 10, 10.2, 9.8, 10, 0], [day(3), 10, 11.2, 9.3, 10, 0]];
const open3 = day(3) + 14.5 * 3_600_000; // 09:30 New York
const minutes = (t0: number, rows: number[][]) => rows.map(([o, h, l, c], i) => [t0 + i * 60_000, o!, h!, l!, c!, 5]);
// The entry fills at day 2's open, so day 2's range is checked too: one quiet minute.
const UP_FIRST = [...minutes(open3 - 86_400_000, [[10, 10.2, 9.8, 10]]), ...minutes(open3, [[10, 10.4, 9.9, 10.3], [10.3, 11.2, 10.3, 11], [11, 11, 9.3, 9.5]])];

function csv(dir: string, name: string, rows: number[][], daily = false): void {
  const lines = ['time,open,high,low,close,volume', ...rows.map(([t, ...v]) => `${daily ? iso(t!).slice(0, 10) : iso(t!)},${v.join(',')}`)];
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
}

function strategy(intrabar: string, extra: Record<string, unknown> = {}): string {
  const file = join(root, `doc-${intrabar}-${Object.keys(extra).join('')}.json`);
  writeFileSync(file, JSON.stringify({
    version: 1, name: 'bracket', settings: { universe: ['A'], timeframe: '1d', initialCash: 1000, intrabar },
    strategies: [{
      id: 's1', name: 's1', condition: { lhs: { kind: 'price', field: 'volume' }, op: '=', rhs: 1 },
      action: { type: 'buy', amount: { unit: 'all' }, exits: { stopLoss: { percent: 5 }, takeProfit: { percent: extra.parameters ? { $param: 'tp' } : 10 } } },
    }],
    ...extra,
  }));
  return file;
}

function dataDir(name: string, files: Record<string, number[][]>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  csv(dir, 'A.csv', DAILY, true);
  for (const [f, rows] of Object.entries(files)) csv(dir, f, rows);
  return dir;
}

async function backtest(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await backtestCli([...argv, '--json'], (s) => out.push(s), (s) => err.push(s));
  return { code, json: code === 0 ? JSON.parse(out.join('')) : null, err };
}

describe('CLI: finer bars from a --data directory (bar magnifier)', () => {
  // January's minutes plus a file of February minutes, outside the run's range (--to 2024-01-05).
  const dir = dataDir('two-files', { 'A-2024-01.csv': UP_FIRST, 'A-2024-02.csv': minutes(Date.UTC(2024, 1, 6, 14, 30), [[10, 10, 10, 10], [10, 10, 10, 10]]) });

  it('finerData reads the minutes under the daily bars, says which, and the target wins', async () => {
    const r = await backtest('--strategy', strategy('finerData'), '--data', dir, '--to', '2024-01-05');
    expect(r.code).toBe(0);
    expect(r.err).toEqual(['finer data: A 1m, 4 bars (2024-01-02 to 2024-01-03) from A-2024-01.csv, A-2024-02.csv']);
    expect(r.json.barCount).toBe(3);
    expect(r.json.trades).toHaveLength(1);
    expect(r.json.trades[0]).toMatchObject({ exitPrice: 11, exitReason: 'target', exitTime: iso(day(3)) });
    expect(r.json.warnings.join()).not.toMatch(/finerData/);
  });

  it('without finerData the same directory trades the daily bars and the stop wins (pessimistic)', async () => {
    const r = await backtest('--strategy', strategy('pessimistic'), '--data', dir);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.json.barCount).toBe(3);
    expect(r.json.trades[0]).toMatchObject({ exitPrice: 9.5, exitReason: 'stop' });
  });

  it('finerData with no finer file says so and falls back to pessimistic', async () => {
    const only = dataDir('daily-only', {});
    const r = await backtest('--strategy', strategy('finerData'), '--data', only);
    expect(r.err).toEqual(['finer data: none for A (no file of a timeframe shorter than 1d); the pessimistic rule decides its bars']);
    expect(r.json.trades[0]).toMatchObject({ exitPrice: 9.5, exitReason: 'stop' });
    expect(r.json.warnings).toContain('intrabar "finerData": no finer bars were loaded, so the pessimistic rule decided every bar');
  });

  it('overlapping minute files are refused, naming both', async () => {
    const bad = dataDir('overlap', { 'A-x.csv': UP_FIRST, 'A-y.csv': UP_FIRST.slice(1) });
    const out: string[] = [], err: string[] = [];
    expect(await backtestCli(['--strategy', strategy('finerData'), '--data', bad], (s) => out.push(s), (s) => err.push(s))).toBe(2);
    expect(err.at(-1)).toBe('error: finer data: A-x.csv and A-y.csv overlap in time (A 1m)');
  });

  it('optimize hands the finer bars to every candidate', async () => {
    const doc = strategy('finerData', { parameters: { tp: { default: 10, min: 10, max: 12, step: 2 } } });
    const out: string[] = [], err: string[] = [];
    const code = await optimizeCli(['--strategy', doc, '--data', dir, '--method', 'grid', '--objective', 'return', '--json'], (s) => out.push(s), (s) => err.push(s), () => {});
    expect(code, err.join('\n')).toBe(0);
    expect(err).toContain('finer data: A 1m, 6 bars (2024-01-02 to 2024-02-06) from A-2024-01.csv, A-2024-02.csv');
    const json = JSON.parse(out.join(''));
    // tp 10 %: the minutes reach 11 first (+100); tp 12 %: 11.2 is never reached and the stop fills (−50).
    const byTp = Object.fromEntries(json.top.map((c: { params: { tp: number }; stats: { totalReturnPct: number } }) => [c.params.tp, c.stats.totalReturnPct]));
    expect(byTp[10]).toBeCloseTo(10, 9);
    expect(byTp[12]).toBeCloseTo(-5, 9);
  });
});
