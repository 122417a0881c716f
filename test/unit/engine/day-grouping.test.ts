/**
 * Intraday days are grouped in the zone the importer read the data in (issue 11): FX/crypto-looking
 * symbols are imported as UTC, so their runs group UTC days unless the document sets a time zone.
 */
import { describe, expect, it } from 'vitest';
import { loadCsvFile } from '../../../src/data/node/index.ts';
import { dayKeyOf, runBacktest } from '../../../src/engine/index.ts';
import { exchangeZone } from '../../../src/schema/index.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../../helpers/shared-data.ts';
import { doc } from './helpers.ts';

const DAY = 86_400_000;

describe('exchange zone of a run', () => {
  it('UTC when every symbol is FX/crypto-looking, New York otherwise, the document\'s zone when set', () => {
    expect(exchangeZone({ universe: ['EURUSD'] })).toBe('UTC');
    expect(exchangeZone({ universe: ['BTCUSD', 'ETHUSD'] })).toBe('UTC');
    expect(exchangeZone({ universe: ['SPY'] })).toBe('America/New_York');
    expect(exchangeZone({ universe: ['EURUSD', 'SPY'] })).toBe('America/New_York');
    expect(exchangeZone({ universe: ['EURUSD'], timezone: 'Europe/London' })).toBe('Europe/London');
  });

  it('an hourly EURUSD bar at 23:00 UTC belongs to its UTC day; an SPY one to its New York day', () => {
    const t = Date.UTC(2024, 0, 2, 23); // 18:00 in New York, same date
    const t2 = Date.UTC(2024, 0, 3, 2); // 21:00 in New York on Jan 2, Jan 3 in UTC
    const fx = dayKeyOf({ timeframe: '1h', universe: ['EURUSD'], timezone: undefined });
    const spy = dayKeyOf({ timeframe: '1h', universe: ['SPY'], timezone: undefined });
    expect(fx(t2)).toBe(Math.floor(t2 / DAY));
    expect(fx(t2)).not.toBe(fx(t));
    expect(spy(t2)).toBe(spy(t));
  });
});

warnIfNoSharedData('hourly EURUSD day grouping');
describe.skipIf(SHARED_DATA === null)('hourly EURUSD (shared data)', () => {
  it('returns per UTC day, annualised by 252 (no weekend sessions worth a 365)', async () => {
    const { bars } = await loadCsvFile(sharedDataPath('hourly', 'EURUSD.csv'), { symbol: 'EURUSD' });
    const d = doc({ universe: ['EURUSD'], timeframe: '1h', initialCash: 10_000, fillModel: 'close', units: 'fractional' }, [
      { id: 'hold', condition: { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 }, action: { type: 'buy', amount: { unit: 'all' } } },
    ]);
    const s = runBacktest(d, { bars: [bars] }).stats;
    const utcDays = new Set(Array.from(bars.time, (t) => Math.floor(t / DAY)));
    expect(s.returnPeriods).toBe(utcDays.size - 1);
    expect(s.periodsPerYear).toBe(252);
  });
});
