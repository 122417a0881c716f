/**
 * The embedded examples that use external series (issue 11 item 5), on the embedded vega-datasets data only
 * (node_modules, so they always run):
 * - US nonfarm payrolls (us-employment.csv) as global series keyed by when each report was out;
 * - "Payrolls trend (S&P 500)": its trades against a plain reference that reads the CSV files itself (signal
 *   on the first SPX bar at or after the 12th of the month after the reference month, fill at the next open,
 *   whole units, 0.1 % commission), and its final equity from that cash arithmetic;
 * - "Momentum rotation" runs on the five embedded monthly stocks; the fundamentals version says what it needs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { payrollKnownAt } from '../../src/data/embedded/parse.ts';
import { loadEmbeddedBars, loadEmbeddedSeries, vegaDataDir } from '../../src/data/node/index.ts';
import { runBacktest } from '../../src/engine/index.ts';
import { parseDocument, type StrategyDocument } from '../../src/schema/index.ts';

const template = (file: string): StrategyDocument => {
  const r = parseDocument(JSON.parse(readFileSync(join(__dirname, '..', '..', 'public', 'strategies', file), 'utf8')));
  if (!r.ok) throw new Error(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.doc;
};
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('embedded US payrolls', () => {
  it('keys each month to when its report was out: the 12th of the next month, September 2013 after the shutdown', async () => {
    expect(iso(payrollKnownAt('2006-01-01'))).toBe('2006-02-12');
    expect(iso(payrollKnownAt('2015-12-01'))).toBe('2016-01-12');
    expect(iso(payrollKnownAt('2013-09-01'))).toBe('2013-10-23');
    const [nonfarm, change] = await loadEmbeddedSeries();
    expect([nonfarm!.name, nonfarm!.symbol, nonfarm!.length, nonfarm!.value[0]]).toEqual(['nonfarm', null, 120, 135450]);
    expect([change!.name, change!.length, change!.value[0], change!.value[119]]).toEqual(['nonfarm_change', 120, 282, 234]);
    // Never before the end of the reference month it describes.
    for (let i = 0; i < change!.length; i++) expect(change!.time[i]! > Date.UTC(2006, i + 1, 1)).toBe(true);
  });

  it('"Payrolls trend (S&P 500)" trades as a plain reading of the two CSV files says, to the cent', async () => {
    const doc = template('payrolls-spx.json');
    const res = runBacktest(doc, { bars: await loadEmbeddedBars(), series: await loadEmbeddedSeries() });

    // Reference: the CSVs split by hand.
    const dir = vegaDataDir();
    const spx = readFileSync(join(dir, 'sp500-2000.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
      .map((f) => ({ t: Date.parse(`${f[0]}T00:00:00Z`), open: Number(f[1]) }))
      .filter((b) => b.t >= Date.UTC(2006, 0, 1) && b.t < Date.UTC(2016, 1, 1));
    const months = readFileSync(join(dir, 'us-employment.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
      .map((f) => {
        const [y, m] = f[0]!.split('-').map(Number) as [number, number];
        const known = f[0]!.startsWith('2013-09') ? Date.UTC(2013, 9, 23) : Date.UTC(y, m, 12);
        return { known, growing: Number(f.at(-1)) > 0 };
      });
    let cash = 10_000, qty = 0, m = -1;
    const trades: [string, string][] = [];
    let entry = '';
    for (let i = 0; i + 1 < spx.length; i++) {
      while (m + 1 < months.length && months[m + 1]!.known <= spx[i]!.t) m++;
      if (m < 0) continue;
      const next = spx[i + 1]!;
      if (months[m]!.growing && qty === 0) {
        qty = Math.floor(cash / (next.open * 1.001));
        cash -= qty * next.open * 1.001;
        entry = iso(next.t);
      } else if (!months[m]!.growing && qty > 0) {
        cash += qty * next.open * 0.999;
        qty = 0;
        trades.push([entry, iso(next.t)]);
      }
    }
    const lastClose = Number(readFileSync(join(dir, 'sp500-2000.csv'), 'utf8').trim().split('\n').map((l) => l.split(',')).filter((f) => f[0]! <= '2016-01-29').at(-1)![4]);

    expect(res.trades.map((t) => [iso(t.entryTime), iso(t.exitTime)])).toEqual(trades);
    expect(trades[0]).toEqual(['2006-02-14', '2007-08-14']);
    expect(res.stats.finalEquity).toBeCloseTo(cash + qty * lastClose, 6);
    expect(res.stats.periodsPerYear).toBe(252);
  });
});

describe('momentum rotation templates', () => {
  it('the price-momentum version runs on the embedded monthly stocks (P = 12), holding at most `top` stocks', async () => {
    const doc = template('momentum-rotation.json');
    const res = runBacktest(doc, { bars: await loadEmbeddedBars() });
    expect(res.stats.periodsPerYear).toBe(12);
    expect(res.trades.length).toBeGreaterThan(20);
    for (const s of res.signals) expect((s.weights ?? []).filter((w) => w.weight > 0).length).toBeLessThanOrEqual(2);
    // GOOG's embedded bars start at its 2004 listing: the one warning is the survivorship one (issue 11 item 3).
    expect(res.warnings).toEqual([expect.stringMatching(/^survivorship: not every universe symbol spans the run \(2000-01-01 to 2010-03-01\): GOOG \(2004-08-01 to 2010-03-01\)\. /)]);
  });

  it('the fundamentals version names the series it needs, and without them the run says which is missing', async () => {
    const doc = template('momentum-rotation-fundamentals.json');
    expect(doc.description).toMatch(/"score" and "marketCap"/);
    const daily = (await loadEmbeddedBars()).filter((b) => b.symbol !== 'SPX').map((b) => ({ ...b, timeframe: '1d' }));
    expect(() => runBacktest(doc, { bars: daily, series: [] })).toThrow(/series "score" for AAPL is not loaded/);
  });
});
