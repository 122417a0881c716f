import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestCli } from '../../../src/cli/backtest.ts';
import { resultJson } from '../../../src/cli/format.ts';
import { applyFlags, loadBars, readDocument } from '../../../src/cli/inputs.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';

const root = join(__dirname, '..', '..', '..');
const template = (name: string) => join(root, 'public', 'strategies', name);
const dir = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await backtestCli(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err };
}

/** 30 daily bars of a zig-zag, with two bad rows on lines 5 and 9. */
function writeCsv(name: string, bad = true): string {
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < 30; i++) {
    const day = new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);
    const c = 100 + 10 * Math.sin(i / 3);
    lines.push(`${day},${c},${c + 1},${c - 1},${c},1000`);
  }
  if (bad) {
    lines[4] = '2020-01-04,abc,1,1,1,1';
    lines[8] = '2020-01-08,5,4,6,5,1';
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('backtest CLI', () => {
  it('runs a single-asset template on any file: the file name is the symbol', async () => {
    const data = writeCsv('ZIG.csv');
    const r = await cli('--strategy', template('buy-and-hold.json'), '--data', data, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.trades).toEqual([]);
    expect(json.stats.startTime).toBe('2020-01-01T00:00:00.000Z');
    expect(json.barCount).toBe(28);
    expect(json.eventCount).toBe(28);
    for (const key of ['startTime', 'endTime', 'finalEquity', 'peakEquity', 'totalReturnPct', 'buyHoldReturnPct', 'annualReturnPct',
      'annualVolatilityPct', 'cagrPct', 'sharpe', 'sortino', 'calmar', 'maxDrawdownPct', 'avgDrawdownPct', 'maxDrawdownDays',
      'exposurePct', 'tradeCount', 'winRatePct', 'bestTradePct', 'worstTradePct', 'avgTradePct', 'expectancyPct', 'profitFactor',
      'sqn', 'kelly', 'feesPaid']) expect(json.stats).toHaveProperty(key);
    // Rejected rows are listed with their line numbers.
    expect(r.err).toEqual([
      expect.stringMatching(/ZIG\.csv:5: rejected \(unparseable-number in open\)/),
      expect.stringMatching(/ZIG\.csv:9: rejected \(high-below-low/),
    ]);
  });

  it('--strict turns rejected rows into an error', async () => {
    const r = await cli('--strategy', template('buy-and-hold.json'), '--data', writeCsv('BAD.csv'), '--strict');
    expect(r.code).not.toBe(0);
    expect(r.err.at(-1)).toMatch(/^error: .*BAD\.csv: 2 row\(s\) rejected and --strict is set$/);
  });

  it.each([
    [['--strategy', 'nope.json', '--data', 'x.csv'], /^error: cannot read strategy nope\.json: ENOENT$/],
    [['--strategy', template('sma-cross.json'), '--data', '/no/such/file.csv'], /^error: cannot read data \/no\/such\/file\.csv: ENOENT$/],
    [['--strategy', template('momentum-rotation.json'), '--data', 'DATA'], /^error: no data for symbol "AAPL"/],
    [['--strategy', template('sma-cross.json'), '--data', 'DATA', '--from', '2030-01-01'], /^error: no bars in the selected range$/],
    [['--strategy', template('sma-cross.json'), '--data', 'DATA', '--fill', 'open'], /^error: --fill is next-open or close$/],
    [['--strategy', template('sma-cross.json')], /^error: --strategy and --data are required$/],
    [['--bogus'], /^error: unknown option --bogus$/],
  ])('bad input %# exits non-zero with a one-line reason', async (argv, message) => {
    const data = writeCsv('OK.csv', false);
    const r = await cli(...argv.map((a) => (a === 'DATA' ? data : a)));
    expect(r.code).not.toBe(0);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
  });

  it('an invalid document names the JSON path', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, name: 'x', settings: { universe: ['A'] }, strategies: [{ id: 'a', name: 'a', action: { type: 'buy' } }] }));
    const r = await cli('--strategy', bad, '--data', writeCsv('A.csv', false));
    expect(r.err[0]).toMatch(/invalid strategy: strategies\[0\]\.action\.amount: /);
  });

  it('an oversized strategy file is refused before it is read', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat((1 << 20) + 1));
    const r = await cli('--strategy', big, '--data', writeCsv('B.csv', false));
    expect(r.code).not.toBe(0);
    expect(r.err).toEqual([expect.stringMatching(/big\.json: 1048577 bytes is too large for a strategy document \(limit 1048576\)$/)]);
  });

  it('prints a statistics table for people', async () => {
    const r = await cli('--strategy', template('sma-cross.json'), '--data', writeCsv('T.csv', false), '--fractional', '--slippage-bps', '5');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Start +2020-01-01$/m);
    expect(r.out).toMatch(/^# Trades +\d+$/m);
  });

  it('a multi-asset run prints what the reference engine with condition traces gives, bit for bit (it runs on the fast path without traces)', async () => {
    // Three assets of 4,000 minute bars (12,000 in all, over FAST_MIN_BARS), one with a hole in its bars.
    const folder = mkdtempSync(join(dir, 'multi-'));
    for (const [k, sym] of ['AAA', 'BBB', 'CCC'].entries()) {
      const lines = ['time,open,high,low,close,volume'];
      let c = 50 + 10 * k;
      for (let i = 0; i < 4000; i++) {
        if (k === 2 && i >= 1500 && i < 1620) continue;
        const t = Date.UTC(2021, 2, 1 + Math.floor(i / 390), 14, 30) + (i % 390) * 60_000;
        const o = c;
        c = Math.max(1, c + Math.sin(i / (7 + k)) * 0.4 + ((i * (k + 3)) % 11 - 5) * 0.03);
        lines.push(`${new Date(t).toISOString()},${o.toFixed(2)},${(Math.max(o, c) + 0.05).toFixed(2)},${(Math.min(o, c) - 0.05).toFixed(2)},${c.toFixed(2)},${100 + (i % 37)}`);
      }
      writeFileSync(join(folder, `${sym}.csv`), `${lines.join('\n')}\n`);
    }
    const doc = join(dir, 'multi.json');
    writeFileSync(doc, JSON.stringify({
      version: 1, name: 'multi', settings: { universe: ['AAA', 'BBB', 'CCC'], timeframe: '1m', initialCash: 100_000, fees: { fraction: 0.0005 }, units: 'fractional' },
      strategies: ['AAA', 'BBB', 'CCC'].flatMap((s) => [
        { id: `in-${s}`, name: `in ${s}`, condition: { lhs: { kind: 'sma', asset: s, window: { bars: 10 } }, op: 'crossesAbove', rhs: { kind: 'sma', asset: s, window: { bars: 40 } } }, action: { type: 'setWeight', asset: s, weight: 0.2 } },
        { id: `out-${s}`, name: `out ${s}`, condition: { lhs: { kind: 'rsi', asset: s, window: { bars: 14 } }, op: '>', rhs: 70 }, action: { type: 'sell', asset: s, amount: { unit: 'all' } } },
      ]),
    }));
    const r = await cli('--strategy', doc, '--data', folder, '--json');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const flags = { strategy: doc, data: folder };
    const bars = await loadBars(folder, flags, () => undefined);
    const run = applyFlags(readDocument(doc), flags, bars);
    const fast = runBacktest(run, { bars }, { audit: false });
    expect(fast.engine).toBe('fast');
    const reference = runBacktest(run, { bars }, { engine: 'reference' });
    expect(reference.signals.some((s) => s.trace !== undefined && s.trace.type !== 'always')).toBe(true);
    expect(reference.trades.length).toBeGreaterThan(10);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(resultJson(reference))));
  });

  describe.skipIf(!SHARED_DATA)('on real data (../shared/data)', () => {
    warnIfNoSharedData('CLI on the SPY minute files');
    it('the NinjaTrader minute file and its normalized twin give identical runs', async () => {
      const a = await cli('--strategy', template('sma-cross.json'), '--data', sharedDataPath('minute', 'SPY-2011-01.ninjatrader.csv'), '--symbol', 'SPY', '--json');
      const b = await cli('--strategy', template('sma-cross.json'), '--data', sharedDataPath('minute', 'SPY-2011-01.csv'), '--symbol', 'SPY', '--json');
      expect(a.code).toBe(0);
      expect(JSON.parse(a.out).stats).toEqual(JSON.parse(b.out).stats);
      expect(JSON.parse(a.out).barCount).toBe(14180);
    });

    it('regression: a month of minute bars printed an annual return of −100 % and a volatility of 0.00 % (issue 11)', async () => {
      const file = sharedDataPath('minute', 'SPY-2011-01.csv');
      const j = await cli('--strategy', template('sma-cross.json'), '--data', file, '--symbol', 'SPY', '--json');
      const json = JSON.parse(j.out);
      // A month of sessions → ~24 daily returns at 252 a year: fewer than a quarter of a year (63).
      expect(json.stats.periodsPerYear).toBe(252);
      for (const k of ['annualReturnPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar', 'cagrPct']) {
        expect(json.stats[k], k).toBeNull();
        expect(json.statsUnavailable[k], k).toMatch(/^too short to annualise/);
      }
      const human = await cli('--strategy', template('sma-cross.json'), '--data', file, '--symbol', 'SPY');
      expect(human.out).toMatch(/Return \(ann\.\) \[%\]\s+n\/a: too short to annualise: \d+ daily returns, at least 63 needed/);
      expect(human.out).toMatch(/^Volatility \(ann\.\) \[%\]\s+n\/a: /m);
    });
  });
});
