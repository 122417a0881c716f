import { describe, expect, it } from 'vitest';
import { isDaily, legendTime } from '../../../src/ui/results/time-axis.ts';

describe('chart time axis', () => {
  const day = Date.parse('2024-01-02T00:00:00Z') / 1000;
  it('daily bars (all at midnight UTC) are recognised; one intraday time is enough to say no', () => {
    expect(isDaily(new Float64Array([day, day + 86_400, day + 3 * 86_400]))).toBe(true);
    expect(isDaily(new Float64Array([day, day + 86_400 + 60]))).toBe(false);
    expect(isDaily(new Float64Array([]))).toBe(false);
  });
  it('legend time: a date for midnight, date and UTC time otherwise (never "12:00am")', () => {
    const u = null as never;
    expect(legendTime(u, day)).toBe('2024-01-02');
    expect(legendTime(u, day + 14 * 3600 + 31 * 60)).toBe('2024-01-02 14:31');
    expect(legendTime(u, null)).toBe('—');
  });
});
