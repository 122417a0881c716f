/**
 * --actions in backtest, optimize and live (issue 11 item 3): corporate actions reach the run, on adjusted or
 * raw prices as the document says; a bad file is a usage error naming file:line:column.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestCli } from '../../../src/cli/backtest.ts';
import { liveCli } from '../../../src/cli/live.ts';
import { optimizeCli } from '../../../src/cli/optimize.ts';
import { loadActions } from '../../../src/cli/inputs.ts';
import { tempFiles } from '../../helpers/temp-files.ts';

const { dir, write } = tempFiles('cli-actions-');
const day = (i: number) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);

/** 10 daily bars: 100 until a 2-for-1 split on 2020-01-06, 50 after (open = close). */
const DATA = write('SPL.csv', ['time,open,high,low,close,volume', ...Array.from({ length: 10 }, (_, i) => {
  const p = i < 5 ? 100 : 50;
  return `${day(i)},${p},${p},${p},${p},1000`;
})].join('\n'));
const ACTIONS = write('actions.csv', 'symbol,date,type,value\nSPL,2020-01-06,split,2:1\nSPL,2020-01-08,dividend,1\n');

const doc = (prices?: 'raw' | 'adjusted') => write(`hold-${prices ?? 'default'}.json`, JSON.stringify({
  version: 1, name: 'Hold',
  settings: { universe: ['SPL'], timeframe: '1d', initialCash: 10_000, units: 'whole', ...(prices ? { prices } : {}) },
  parameters: { n: { default: 1, min: 1, max: 2, step: 1 } },
  strategies: [{ id: 'in', name: 'in', condition: { lhs: { kind: 'position', field: 'quantity' }, op: '<', rhs: { $param: 'n' } }, action: { type: 'buy', amount: { unit: 'all' } } }],
}));

async function backtest(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await backtestCli(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err };
}

describe('--actions', () => {
  it('raw prices: the split doubles the 100 shares bought at 100, the dividend pays 200; the JSON lists both events', async () => {
    const r = await backtest('--strategy', doc('raw'), '--data', DATA, '--actions', ACTIONS, '--json');
    expect(r.err.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { stats: { finalEquity: number }; corporateActions: { type: string; quantityBefore: number; quantityAfter: number; cash: number }[] };
    expect(json.corporateActions.map((e) => [e.type, e.quantityBefore, e.quantityAfter, e.cash])).toEqual([['split', 100, 200, 0], ['dividend', 200, 200, 200]]);
    expect(json.stats.finalEquity).toBe(200 * 50 + 200);
    expect(r.err).toEqual([
      expect.stringMatching(/^note: corporate actions for SPL from .*actions\.csv: 1 split\(s\), 1 dividend\(s\), ex-dates 2020-01-06 to 2020-01-08$/),
      'note: corporate actions on raw prices: applied on their ex-dates (settings.prices "raw")',
    ]);
    const human = await backtest('--strategy', doc('raw'), '--data', DATA, '--actions', ACTIONS);
    expect(human.out).toContain('corporate action: 2020-01-06 SPL split 2: position 100 → 200, average price 100 → 50, cash +0.00');
    expect(human.out).toContain('corporate action: 2020-01-08 SPL dividend 1: position 200, cash +200.00');
  });

  it('adjusted prices (the default): 200 shares at the adjusted 50 (the dividend back-adjusts too), no events', async () => {
    const r = await backtest('--strategy', doc(), '--data', DATA, '--actions', ACTIONS, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { stats: { finalEquity: number }; corporateActions?: unknown; trades: unknown[] };
    expect(json.corporateActions).toBeUndefined();
    // Bars before Jan 8 × (1 − 1/50) = 0.98; before Jan 6 also ÷ 2: the buy at 49 takes floor(10,000 / 49) = 204 shares.
    expect(json.stats.finalEquity).toBeCloseTo(10_000 - 204 * 49 + 204 * 50, 9);
    expect(r.err[1]).toMatch(/adjusted prices: the bars are back-adjusted/);
  });

  it('a bad file is a usage error: the first problem on the error line, every problem after it', async () => {
    const bad = write('bad.csv', 'symbol,date,type,value\nSPL,2020-01-06,split,1\nSPL,2020-02-30,dividend,1\n');
    const r = await backtest('--strategy', doc('raw'), '--data', DATA, '--actions', bad);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^error: .*bad\.csv:2:4 \(value\): a split ratio of 1 changes nothing \(and 1 more problem\(s\); nothing was loaded\)$/);
    expect(r.err[1]).toMatch(/bad\.csv:3:2 \(date\): "2020-02-30" is not an ex-date/);
    const missing = await backtest('--strategy', doc('raw'), '--data', DATA, '--actions', join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/cannot read actions .*nope\.csv: ENOENT/);
  });

  it('a directory loads every .csv; two files with actions for one symbol are refused', async () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    writeFileSync(join(d, 'a.csv'), 'symbol,date,type,value\nSPL,2020-01-06,split,2\n');
    writeFileSync(join(d, 'b.csv'), 'symbol,date,type,value\nXYZ,2020-01-06,dividend,2\n');
    const ok = await backtest('--strategy', doc('raw'), '--data', DATA, '--actions', d, '--json');
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.out) as { corporateActions: unknown[] }).corporateActions).toHaveLength(1);
    writeFileSync(join(d, 'c.csv'), 'symbol,date,type,value\nSPL,2020-01-08,dividend,1\n');
    const dup = await backtest('--strategy', doc('raw'), '--data', DATA, '--actions', d);
    expect(dup.code).toBe(2);
    expect(dup.err[dup.err.length - 1]).toMatch(/c\.csv: corporate actions for SPL are also in .*a\.csv$/);
  });

  it('optimize runs every candidate on the adjusted prices', async () => {
    const out: string[] = [], err: string[] = [];
    const code = await optimizeCli(['--strategy', doc(), '--data', DATA, '--actions', ACTIONS, '--method', 'grid', '--objective', 'return', '--json'], (s) => out.push(s), (s) => err.push(s));
    expect(err.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as { evaluations: number; best: { stats: { finalEquity: number } } };
    expect(json.evaluations).toBe(2);
    expect(json.best.stats.finalEquity).toBeCloseTo(10_000 - 204 * 49 + 204 * 50, 9);
  });

  it('live practice (sim) plays the adjusted prices as the backtest reads them; raw prices and real brokers are refused with the reason', async () => {
    const out: string[] = [], err: string[] = [];
    const code = await liveCli(['--strategy', doc(), '--broker', 'sim', '--state', join(dir, 'state'), '--data', DATA, '--actions', ACTIONS, '--max-steps', '12', '--json'],
      { env: {}, out: (s) => out.push(s), err: (s) => err.push(s), sleep: async () => {} });
    expect(err.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(code).toBe(0);
    const fills = out.map((l) => JSON.parse(l) as { type: string; price?: number; quantity?: number }).filter((e) => e.type === 'fill');
    expect(fills.map((f) => f.price)).toEqual([49]);
    const raw: string[] = [];
    expect(await liveCli(['--strategy', doc('raw'), '--broker', 'sim', '--state', join(dir, 'state-raw'), '--data', DATA, '--actions', ACTIONS], { env: {}, out: () => {}, err: (s) => raw.push(s), sleep: async () => {} })).toBe(1);
    expect(raw.find((l) => l.startsWith('error'))).toMatch(/corporate actions on raw prices are not simulated in practice yet/);
    const alpaca: string[] = [];
    expect(await liveCli(['--strategy', doc(), '--broker', 'alpaca', '--paper', '--state', join(dir, 'state-alpaca'), '--actions', ACTIONS], { env: {}, out: () => {}, err: (s) => alpaca.push(s), sleep: async () => {} })).toBe(2);
    expect(alpaca[0]).toMatch(/--actions works with --broker sim/);
  });
});

describe('--actions with a whole market\'s dividends', () => {
  it('loads 150k actions from one file: out.push(...list) overflowed the stack from ~125k', () => {
    const rows = ['symbol,date,type,value'];
    for (let s = 0; s < 1500; s++) for (let k = 0; k < 100; k++) rows.push(`S${s},${day(k * 30)},dividend,0.25`);
    const file = write('market-dividends.csv', rows.join('\n'));
    const notes: string[] = [];
    const actions = loadActions(file, (l) => notes.push(l));
    expect(actions).toHaveLength(150_000);
    expect(new Set(actions.map((a) => a.symbol)).size).toBe(1500);
    expect(actions.every((a) => a.type === 'dividend')).toBe(true);
    expect(notes).toHaveLength(1500);
  });
});
