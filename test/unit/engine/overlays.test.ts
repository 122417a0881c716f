import { describe, expect, it } from 'vitest';
import { createEngineService } from '../../../src/engine/service.ts';
import { crossDoc, dailyBars } from '../pool/fixture.ts';

describe('chart overlays', () => {
  it("each bucket carries its first and last bar's time, so a series pane reads what was known at the bucket's close", () => {
    const service = createEngineService();
    const bars = dailyBars();
    service.load('d', { bars });
    const aaa = bars.find((b) => b.symbol === 'AAA')!;
    const n = aaa.length;
    const [o] = service.overlays('d', crossDoc(), 100);
    const step = Math.ceil(n / 100);
    expect(o!.time.length).toBe(Math.ceil(n / step));
    for (let j = 0; j < o!.time.length; j++) {
      expect(o!.time[j]).toBe(aaa.time[j * step]);
      expect(o!.end[j]).toBe(aaa.time[Math.min(n, (j + 1) * step) - 1]);
    }
    // Unsampled: one bar per bucket, first = last.
    const [all] = service.overlays('d', crossDoc(), n);
    expect(Array.from(all!.end)).toEqual(Array.from(aaa.time));
  });
});
