// Uses the real market data in ../shared/data (skipped with a notice when the folder is absent).
import { describe, expect, it } from 'vitest';
import { loadCsvFile } from '../../../src/data/node/load.ts';
import { barsEqual } from '../../../src/data/columns.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';

warnIfNoSharedData('data layer imports of daily/hourly/minute files');

describe.skipIf(!SHARED_DATA)('imports of the shared reference files', () => {
  it.each([
    ['daily/GOOG.csv', 2148, '1d', 'unnamed-date', '2004-08-19T00:00:00.000Z', '2013-03-01T00:00:00.000Z'],
    ['daily/BTCUSD.csv', 156, '1mo', 'unnamed-date', '2012-01-31T00:00:00.000Z', '2024-12-31T00:00:00.000Z'],
    ['hourly/EURUSD.csv', 5000, '1h', 'unnamed-date', '2017-04-19T09:00:00.000Z', '2018-02-07T15:00:00.000Z'],
    ['minute/SPY-2011-01.csv', 14180, '1m', 'generic', '2011-01-03T09:00:00.000Z', '2011-02-01T00:59:00.000Z'],
    ['minute/SPY-2011-03.csv', 17577, '1m', 'generic', '2011-03-01T09:00:00.000Z', '2011-03-31T23:58:00.000Z'],
    ['minute/SPY-2011-01.ninjatrader.csv', 14180, '1m', 'ninjatrader', '2011-01-03T09:00:00.000Z', '2011-02-01T00:59:00.000Z'],
    ['minute/SPY-2011-03.ninjatrader.csv', 17577, '1m', 'ninjatrader', '2011-03-01T09:00:00.000Z', '2011-03-31T23:58:00.000Z'],
  ])('%s: %i rows', async (file, rows, timeframe, format, first, last) => {
    const { bars, report } = await loadCsvFile(sharedDataPath(...file.split('/')));
    expect(report).toMatchObject({ rowsRead: rows, rowsKept: rows, rowsRejected: 0, timeframe, format, sorted: false, duplicates: 0 });
    expect(new Date(bars.time[0]!).toISOString()).toBe(first);
    expect(new Date(bars.time[rows - 1]!).toISOString()).toBe(last);
    for (let i = 0; i < bars.length; i++) expect(bars.high[i]! >= bars.low[i]!).toBe(true);
  });

  it('GOOG first and last rows match the file to the cent', async () => {
    const { bars } = await loadCsvFile(sharedDataPath('daily', 'GOOG.csv'));
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([100, 104.06, 95.96, 100.34, 22351900]);
    expect([bars.open[2147], bars.close[2147], bars.volume[2147]]).toEqual([797.8, 806.19, 2175400]);
  });

  it.each(['SPY-2011-01', 'SPY-2011-03'])('%s: the NinjaTrader export yields the same bars as its normalized twin', async (name) => {
    const nt = await loadCsvFile(sharedDataPath('minute', `${name}.ninjatrader.csv`));
    const norm = await loadCsvFile(sharedDataPath('minute', `${name}.csv`));
    expect(barsEqual(nt.bars, norm.bars)).toBe(true);
  });
});
