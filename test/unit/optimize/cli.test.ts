import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { optimizeCli, parseObjective } from '../../../src/cli/optimize.ts';
import { dailyBars } from './fixtures.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const strategy = join(root, 'public', 'strategies', 'sma-cross.json');
const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small synthetic daily CSV (file name = symbol). */
function writeCsv(name: string, n: number): string {
  const b = dailyBars(n, 3);
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < b.length; i++) lines.push(`${new Date(b.time[i]!).toISOString().slice(0, 10)},${b.open[i]!.toFixed(2)},${b.high[i]!.toFixed(2)},${b.low[i]!.toFixed(2)},${b.close[i]!.toFixed(2)},1000`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
const csv = writeCsv('ZZZ.csv', 600);

async function cli(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await optimizeCli(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err };
}

describe('optimize CLI', () => {
  it('--json: best parameters and stats, evaluations and their rate; the same seed gives the same answer', async () => {
    const args = ['--strategy', strategy, '--data', csv, '--method', 'genetic', '--evaluations', '60', '--seed', '4', '--objective', 'sortino', '--json'];
    const r = await cli(...args);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.method).toBe('genetic');
    expect(j.objective).toBe('sortino');
    expect(j.evaluations).toBeLessThanOrEqual(60);
    expect(j.evaluations).toBeGreaterThan(20);
    expect(j.evaluationsPerSecond).toBeGreaterThan(0);
    expect(Object.keys(j.best.params).sort()).toEqual(['fast', 'slow']);
    expect(j.best.score).toBe(j.best.stats.sortino);
    expect(j.best.stats.startTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(j.top).toHaveLength(10);
    expect(j.top[0]).toEqual(j.best);
    const again = JSON.parse((await cli(...args)).out);
    expect(again.best).toEqual(j.best);
  });

  it('--walk-forward: windows with their chosen parameters and the out-of-sample statistics', async () => {
    const r = await cli('--strategy', strategy, '--data', csv, '--method', 'random', '--evaluations', '20', '--walk-forward', '300/100', '--anchored', '--json');
    expect(r.code).toBe(0);
    const wf = JSON.parse(r.out).walkForward;
    expect(wf.sizes).toEqual({ inSample: 300, outOfSample: 100, unit: 'bars', anchored: true });
    expect(wf.windows).toHaveLength(3);
    expect(wf.windows[0].inSample).toMatchObject({ from: '2010-01-04T00:00:00.000Z', bars: 300 });
    expect(wf.windows[2].inSample.bars).toBe(500);
    for (const w of wf.windows) expect(Object.keys(w.params).sort()).toEqual(['fast', 'slow']);
    expect(wf.outOfSample.stats.startTime).toBe(wf.windows[0].outOfSample.from);
    expect(wf.outOfSample.equity).toHaveLength(300);
    expect(JSON.parse(r.out).evaluations).toBe(60);
  });

  it('--workers 2 (worker_threads pool) chooses exactly what the in-process search chooses', async () => {
    const args = ['--strategy', strategy, '--data', csv, '--method', 'genetic', '--evaluations', '80', '--seed', '9', '--walk-forward', '300/150', '--json'];
    const [one, two] = await Promise.all([cli(...args), cli(...args, '--workers', '2')]);
    expect(two.err).toEqual([]);
    const a = JSON.parse(one.out), b = JSON.parse(two.out);
    expect(b.workers).toBe(2);
    expect(b.top).toEqual(a.top);
    expect(b.walkForward.windows).toEqual(a.walkForward.windows);
    expect(b.walkForward.outOfSample.stats).toEqual(a.walkForward.outOfSample.stats);
  });

  it('--sweep-budget bounds the shared sweep columns of a --workers search: the same answer in budgeted groups; refused without --workers or when not a positive size', async () => {
    // 100,230 minute bars: past the pool's spreadColumnsFrom, so the candidates' SMA columns are shared. Each is
    // 0.8 MB; a 1 MiB budget holds one candidate's pair at most, so the batch runs in groups.
    const [m] = generateMinuteBars({ symbols: ['MMM'], years: 257 / 252, seed: 5, gaps: false });
    const lines = ['time,open,high,low,close,volume'];
    for (let i = 0; i < m!.length; i++) lines.push(`${new Date(m!.time[i]!).toISOString()},${m!.open[i]},${m!.high[i]},${m!.low[i]},${m!.close[i]},${m!.volume[i]}`);
    const minutes = join(dir, 'MMM.csv');
    writeFileSync(minutes, `${lines.join('\n')}\n`);
    const doc = JSON.parse(readFileSync(strategy, 'utf8'));
    doc.settings.timeframe = '1m';
    const minuteDoc = join(dir, 'sma-cross-1m.json');
    writeFileSync(minuteDoc, JSON.stringify(doc));
    const args = ['--strategy', minuteDoc, '--data', minutes, '--method', 'random', '--evaluations', '12', '--seed', '3', '--json'];
    const [plain, budgeted] = await Promise.all([cli(...args, '--workers', '2'), cli(...args, '--workers', '2', '--sweep-budget', '1')]);
    expect([plain.err, budgeted.err]).toEqual([[], []]);
    const a = JSON.parse(plain.out), b = JSON.parse(budgeted.out);
    expect(a.sweep).toEqual({ groups: 0, buffersReused: 0 });
    expect(b.sweep.groups).toBeGreaterThan(1);
    expect(b.sweep.buffersReused).toBeGreaterThan(0);
    expect(b.top).toEqual(a.top);
    expect(b.best.stats).toEqual(a.best.stats);
    const noPool = await cli(...args, '--sweep-budget', '64');
    expect(noPool.code).toBe(2);
    expect(noPool.err[0]).toMatch(/--sweep-budget needs --workers/);
    for (const bad of ['0', '-5', '100000']) {
      const r = await cli(...args, '--workers', '1', '--sweep-budget', bad);
      expect(r.code).toBe(2);
      expect(r.err[0]).toMatch(/--sweep-budget is MiB of shared sweep columns, more than 0 and at most 65536/);
    }
  });

  it('--bootstrap and --heatmap add the robustness checks around the winner', async () => {
    const r = await cli('--strategy', strategy, '--data', csv, '--method', 'random', '--evaluations', '10', '--bootstrap', '200', '--heatmap', 'fast,slow', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.bootstrap.samples).toBe(200);
    expect(j.bootstrap.trades).toBe(j.best.stats.tradeCount);
    expect(j.bootstrap.totalReturnPct.percentiles.map((x: { p: number }) => x.p)).toEqual([5, 25, 50, 75, 95]);
    expect(j.heatmap.x.name).toBe('fast');
    expect(j.heatmap.z).toHaveLength(40);
    expect(j.heatmap.z[0]).toHaveLength(49);
    // The heatmap covers the whole grid, so its best is at least as good as the sampled winner.
    expect(j.heatmap.best.score).toBeGreaterThanOrEqual(j.best.score);
    const bad = await cli('--strategy', strategy, '--data', csv, '--method', 'random', '--evaluations', '3', '--heatmap', 'fast');
    expect(bad.code).toBe(2);
  });

  it('prints a table of the top 10 for people', async () => {
    const r = await cli('--strategy', strategy, '--data', csv, '--method', 'random', '--evaluations', '15', '--min-trades', '1000');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^random search, objective sharpe, seed 1: 15 evaluations of 1725 candidates \(235 excluded by the parameter constraints\) in .* stopped: budget$/);
    const header = lines.findIndex((l) => /^#\s+fast\s+slow\s+score/.test(l));
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 2, header + 12);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    // Nothing reaches 1,000 trades: every row says it violates the constraint.
    expect(rows.every((l) => l.endsWith('violates constraints'))).toBe(true);
  });

  it('fails with a usage error on bad flags', async () => {
    for (const argv of [
      ['--strategy', strategy, '--data', csv],
      ['--strategy', strategy, '--data', csv, '--method', 'annealing'],
      ['--strategy', strategy, '--data', csv, '--method', 'grid', '--objective', 'alpha'],
      ['--strategy', strategy, '--data', csv, '--method', 'grid', '--walk-forward', '10'],
      ['--strategy', strategy, '--data', csv, '--method', 'grid', '--evaluations', '100'],
      ['--strategy', strategy, '--data', csv, '--method', 'random', '--evaluations', '0'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.at(-1)).toMatch(/^error: /);
    }
  });

  it('parses a weighted objective', () => {
    expect(parseObjective('calmar')).toBe('calmar');
    expect(parseObjective('sharpe=1, calmar=0.5')).toEqual({ weights: { sharpe: 1, calmar: 0.5 } });
    expect(() => parseObjective('sharpe=x')).toThrow(/metric=weight/);
  });
});
