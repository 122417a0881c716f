import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableKey } from '../../../src/strategy/keys.ts';

/** The definition stableKey must keep: JSON with each object's keys sorted (as its map/join form wrote it). */
function reference(x: unknown): string {
  if (typeof x !== 'object' || x === null) return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map((e) => (reference(e) as string | undefined) ?? '').join(',')}]`;
  const keys = Object.keys(x).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference((x as Record<string, unknown>)[k])}`).join(',')}}`;
}

const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324, 0.1));
const string = fc.oneof(fc.string(), fc.constantFrom('kind', 'bars', 'a"b', 'back\\slash', 'line\nfeed', '\u2028', '\ud800', 'é', ''));
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(number, string, fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(string, tie('node'), { maxKeys: 5 })),
})).node;

describe('stableKey', () => {
  it('is sorted-key JSON: the same string as the reference for any JSON-like value', () => {
    fc.assert(fc.property(value, (x) => {
      expect(stableKey(x)).toBe(reference(x));
    }), { numRuns: 2000 });
  });

  it('keys an indicator instance the same whatever order its fields were written in', () => {
    const a = { asset: 0, spec: { kind: 'sma', window: { bars: 10 } }, source: 'close' };
    const b = { source: 'close', spec: { window: { bars: 10 }, kind: 'sma' }, asset: 0 };
    expect(stableKey(a)).toBe('{"asset":0,"source":"close","spec":{"kind":"sma","window":{"bars":10}}}');
    expect(stableKey(b)).toBe(stableKey(a));
  });

  it('stays the reference past its memo of quoted strings (more distinct strings than it keeps, and longer ones)', () => {
    for (let i = 0; i < 6000; i++) {
      const x = { [`k${i}"`]: `v\\${i}`, n: i / 7 };
      expect(stableKey(x)).toBe(reference(x));
    }
    const long = `"${'x\\'.repeat(200)}\n`;
    expect(stableKey({ [long]: long })).toBe(reference({ [long]: long }));
  });
});
