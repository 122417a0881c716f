import { describe, expect, it } from 'vitest';
import { parsedOffset, partsOffset } from '../../src/lib/tz.ts';

// Chromium's ICU formats dates itself: the string parsedOffset reads must have the form it expects here too,
// and agree with formatToParts (test/unit/tz.test.ts holds Node's ICU to the same).
describe('time-zone offsets read from the formatted string, in Chromium', () => {
  it('equal formatToParts on every hour of 2011 and are read, not left to the fallback', () => {
    for (const zone of ['America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns']) {
      for (let t = Date.UTC(2011, 0, 1); t < Date.UTC(2012, 0, 1); t += 3_600_000) {
        const fast = parsedOffset(zone, t);
        expect(fast, `${zone} ${new Date(t).toISOString()}`).not.toBeNull();
        expect(fast, `${zone} ${new Date(t).toISOString()}`).toBe(partsOffset(zone, t));
      }
    }
  });
});
