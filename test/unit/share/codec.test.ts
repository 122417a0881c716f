import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/strategy/index.ts';
import { decodeShareHash, encodeShareHash, inflateCapped, MAX_ENCODED, MAX_INFLATED, SHARE_PREFIX } from '../../../src/ui/share/codec.ts';
import { payload, template } from './fixture.ts';

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
const hashOf = (value: unknown) => SHARE_PREFIX + b64url(deflateSync(new TextEncoder().encode(JSON.stringify(value))));

function failure(hash: string) {
  const r = decodeShareHash(hash);
  if (r.ok) throw new Error('expected the link to be refused');
  return r.error;
}

describe('share link encode/decode', () => {
  it('round-trips every template with its data description and fingerprint', () => {
    for (const file of ['sma-cross.json', 'buy-and-hold.json', 'rsi-mean-reversion.json', 'golden-cross.json', 'momentum-rotation.json']) {
      const p = payload(template(file));
      const hash = encodeShareHash(p);
      expect(hash.startsWith('#/s/')).toBe(true);
      expect(hash.slice(4)).toMatch(/^[A-Za-z0-9_-]+$/);
      const r = decodeShareHash(hash);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.payload.data).toEqual(p.data);
      expect(r.payload.fingerprint).toBe(p.fingerprint);
      expect(r.payload.doc.name).toBe(template(file).name);
      // Decoding the encoded, validated document again gives the same document (defaults are stable).
      const again = decodeShareHash(encodeShareHash({ ...p, doc: r.payload.doc }));
      expect(again.ok && again.payload.doc).toEqual(r.payload.doc);
    }
  });

  it('keeps links short: a template compresses to well under 2 KB of hash', () => {
    expect(encodeShareHash(payload()).length).toBeLessThan(2048);
  });

  it('accepts a null fingerprint (sender had no data) and migrates nothing it cannot', () => {
    const r = decodeShareHash(encodeShareHash({ ...payload(), fingerprint: null }));
    expect(r.ok && r.payload.fingerprint).toBeNull();
  });

  it('refuses text that is not base64url', () => {
    expect(failure('#/s/abc$def').kind).toBe('base64');
    expect(failure('#/s/').kind).toBe('base64');
    expect(failure('#/s/a').kind).toBe('base64');
    expect(failure('#/strategy').message).toMatch(/not a strategy link/);
  });

  it('refuses bytes that are not deflate data, and truncated deflate data', () => {
    expect(failure(SHARE_PREFIX + b64url(new TextEncoder().encode('{"v":1} plain json, not deflated'))).kind).toBe('deflate');
    const good = encodeShareHash(payload());
    const cut = good.slice(0, SHARE_PREFIX.length + 4 * Math.floor((good.length - SHARE_PREFIX.length) / 8));
    expect(failure(cut).kind).toBe('deflate');
  });

  it('refuses a tampered byte in the middle (it breaks deflate, UTF-8, JSON or the schema, never passes silently)', () => {
    const good = encodeShareHash(payload());
    const bytes = Buffer.from(good.slice(SHARE_PREFIX.length), 'base64url');
    let refused = 0;
    for (let i = 4; i < bytes.length; i += 7) {
      const t = Uint8Array.from(bytes);
      t[i] = t[i]! ^ 0x55;
      const r = decodeShareHash(SHARE_PREFIX + b64url(t));
      if (!r.ok) refused++;
      else expect(r.payload.doc.strategies.length).toBeGreaterThan(0);
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses deflated text that is not JSON', () => {
    const e = failure(SHARE_PREFIX + b64url(deflateSync(new TextEncoder().encode('{"v":1,'))));
    expect(e.kind).toBe('json');
  });

  it('reports envelope errors with their paths', () => {
    const e = failure(hashOf({ ...payload(), v: 2, fingerprint: 'xyz' }));
    expect(e.kind).toBe('schema');
    expect(e.errors.map((x) => x.path).sort()).toEqual(['fingerprint', 'v']);
    const extra = failure(hashOf({ ...payload(), run: 'alert(1)' }));
    expect(extra.errors[0]!.path).toBe('(document)');
  });

  it('reports document errors with their JSON paths inside doc', () => {
    const doc = template();
    (doc.strategies as { condition: { lhs: { window: unknown } } }[])[0]!.condition.lhs.window = { weeks: 3 };
    const e = failure(hashOf(payload(doc)));
    expect(e.kind).toBe('schema');
    expect(e.errors).toEqual([{ path: 'doc.strategies[0].condition.lhs.window', message: 'expected bars or duration' }]);
  });

  it('refuses an encoded payload over the length cap before decoding it', () => {
    const e = failure(SHARE_PREFIX + 'A'.repeat(MAX_ENCODED + 1));
    expect(e.kind).toBe('too-long');
  });

  it('refuses a zip bomb while inflating, without producing the whole output', () => {
    // 64 MB of zeros deflates to ~64 KB; the cap stops inflation after about 1 MB.
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    let produced = 0;
    const before = process.memoryUsage().arrayBuffers;
    expect(() => inflateCapped(bomb)).toThrow(/more than 1024 KB/);
    produced = process.memoryUsage().arrayBuffers - before;
    expect(produced).toBeLessThan(32 * 1024 * 1024);
    // A small bomb fits the encoded cap too and is refused the same way through the link path.
    const small = deflateSync(new Uint8Array(MAX_INFLATED + 1), { level: 9 });
    expect(b64url(small).length).toBeLessThan(MAX_ENCODED);
    expect(failure(SHARE_PREFIX + b64url(small)).kind).toBe('too-large');
    // Exactly at the cap is still inflated (the JSON error proves it got past the size check).
    expect(inflateCapped(deflateSync(new Uint8Array(MAX_INFLATED))).length).toBe(MAX_INFLATED);
  });
});

describe('a link never executes code', () => {
  const js = '"); globalThis.__pwned = 1; ("';

  it('keeps JavaScript in free-text fields inert: it is validated as text and never reaches generated code', () => {
    const doc = template();
    doc.name = js;
    doc.description = `<img src=x onerror="globalThis.__pwned=1">${js}`;
    (doc.strategies as { name: string }[])[0]!.name = js;
    const r = decodeShareHash(hashOf(payload(doc)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.payload.doc.name).toBe(js);
    const plan = compile(r.payload.doc);
    for (const s of plan.strategies) expect(s.condition.source).not.toContain('__pwned');
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('fails validation where code could otherwise go: ids, operators, kinds, windows, symbols', () => {
    const doc = template();
    const s0 = (doc.strategies as Record<string, unknown>[])[0]!;
    s0.id = 'x"; alert(1); "';
    const cond = s0.condition as Record<string, Record<string, unknown> | string>;
    cond.op = '>) || alert(1) || (';
    (cond.lhs as Record<string, unknown>).window = { duration: '1d; alert(1)' };
    (cond.rhs as Record<string, unknown>).kind = 'constructor';
    const e = failure(hashOf(payload(doc)));
    const paths = e.errors.map((x) => x.path);
    expect(paths).toContain('doc.strategies[0].id');
    expect(paths.some((p) => p.startsWith('doc.strategies[0].condition'))).toBe(true);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });
});
