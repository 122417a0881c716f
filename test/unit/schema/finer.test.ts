import { describe, expect, it } from 'vitest';
import { finerRange, finerTimeframe } from '../../../src/schema/index.ts';

describe('which finer bars a finerData run reads', () => {
  it('the finest stored timeframe shorter than the run\'s', () => {
    expect(finerTimeframe('1d', ['1d', '1h', '1m', '5m'])).toBe('1m');
    expect(finerTimeframe('1h', ['1h', '1d', '15m'])).toBe('15m');
    expect(finerTimeframe('1m', ['1m', '1d'])).toBeNull();
    expect(finerTimeframe('1d', ['1w', 'tick', '1d'])).toBeNull();
  });

  it('only over the range, with whole-day margins for zones and the last bar\'s span', () => {
    const D = 86_400_000;
    expect(finerRange({ timeframe: '1d', range: {} })).toEqual({});
    expect(finerRange({ timeframe: '1d', range: { from: '2024-01-10', to: '2024-01-20' } })).toEqual({ from: Date.UTC(2024, 0, 9), to: Date.UTC(2024, 0, 20) + 3 * D });
    // A monthly bar holding `to` runs to the month's end.
    expect(finerRange({ timeframe: '1mo', range: { to: '2024-01-01' } }).to).toBeGreaterThanOrEqual(Date.UTC(2024, 1, 1) + D);
  });
});
