import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src/data/store.ts';
import { rangeHint, storedRange } from '../../../src/ui/strategy/data-range.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
function bars(symbol: string, key: string, first: string, last: string): DatasetInfo {
  return { id: `bars:${symbol}:${key}`, kind: 'bars', symbol, key, first: day(first), last: day(last), rows: 1, bytes: 1,
    source: 'test', importedAt: 0, adjusted: false, file: 'f' };
}
const catalog = [
  bars('SPX', '1d', '2000-01-03', '2020-06-01'),
  bars('AAPL', '1d', '2005-01-03', '2024-12-31'),
  bars('SPY', '1m', '2011-01-03', '2011-01-31'),
  { ...bars('SPX', '1d', '1990-01-01', '2030-01-01'), kind: 'series' as const, symbol: null, key: 'score', id: 'series:*:score' },
];

describe('stored data range beside From / to', () => {
  it('one symbol: its first and last bar, as dates for daily bars', () => {
    const r = storedRange(catalog, ['SPX'], '1d');
    expect(r).toEqual({ from: day('2000-01-03'), to: day('2020-06-01'), missing: [] });
    expect(rangeHint(r, '1d')).toBe('Stored: 2000-01-03 to 2020-06-01');
  });
  it('several symbols: the span all of them cover (latest first bar, earliest last bar)', () => {
    expect(rangeHint(storedRange(catalog, ['SPX', 'AAPL'], '1d'), '1d')).toBe('Stored: 2005-01-03 to 2020-06-01');
  });
  it('names the symbols without bars at the timeframe (a series of the same name does not count)', () => {
    expect(rangeHint(storedRange(catalog, ['SPX', 'MSFT'], '1d'), '1d')).toBe('Stored: 2000-01-03 to 2020-06-01; no 1d bars stored for MSFT');
    expect(rangeHint(storedRange(catalog, ['SPX'], '1m'), '1m')).toBe('no 1m bars stored for SPX');
  });
  it('says so when the symbols have no common span', () => {
    const late = [...catalog, bars('NEW', '1d', '2021-01-04', '2022-01-03')];
    expect(rangeHint(storedRange(late, ['SPX', 'NEW'], '1d'), '1d')).toBe('Stored bars of these symbols do not overlap');
  });
  it('nothing to say for an empty universe', () => {
    expect(rangeHint(storedRange(catalog, [], '1d'), '1d')).toBeNull();
  });
});
