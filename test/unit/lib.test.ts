import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/lib/duration.ts';
import { lowerBound, upperBound } from '../../src/lib/search.ts';
import { Rng } from '../../src/lib/rng.ts';
import { parseIsoUtc } from '../../src/lib/time.ts';

describe('parseDuration', () => {
  it.each([
    ['15m', 900_000], ['4h', 14_400_000], ['30d', 2_592_000_000], ['3s', 3000], ['2w', 1_209_600_000], ['500ms', 500],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '0d', '-1d', '3mo', 'd', '1y', '1.5x'])('rejects %j', (t) => expect(parseDuration(t)).toBeNaN());
  it('formats back', () => expect(formatDuration(parseDuration('4h'))).toBe('4h'));
});

describe('binary search', () => {
  const a = [1, 2, 2, 2, 5, 9];
  it('lower/upper bound', () => {
    expect(lowerBound(a, 2)).toBe(1);
    expect(upperBound(a, 2)).toBe(4);
    expect(lowerBound(a, 10)).toBe(6);
    expect(upperBound(a, 0)).toBe(0);
  });
});

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
    expect(xs[0]).toBe(new Rng(42).nextU32());
  });
  it('int stays in range', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) { const x = r.int(3, 7); expect(x).toBeGreaterThanOrEqual(3); expect(x).toBeLessThanOrEqual(7); }
  });
});

describe('parseIsoUtc', () => {
  it('bare date is UTC midnight', () => expect(parseIsoUtc('2004-08-19')).toBe(Date.UTC(2004, 7, 19)));
});
