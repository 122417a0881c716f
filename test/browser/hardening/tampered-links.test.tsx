/**
 * Attack suite (issue #10): tampered share links opened in the real app in Chromium. Each one must be
 * refused with a message that says what is wrong and, for a strategy, where (its JSON path); the saved
 * draft, the open document and the stored bars must stay exactly as they were, and the app must stay
 * usable afterwards. Links carrying script-like text that are otherwise valid open, and the text stays text.
 */
import { QueryClient } from '@tanstack/react-query';
import { deflateSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { App } from '../../../src/ui/App.tsx';
import type { DataClient } from '../../../src/ui/data/client.ts';
import { encodeShareHash, MAX_ENCODED, SHARE_PREFIX } from '../../../src/ui/share/codec.ts';
import { dailyCsv, testDataClient } from '../ui/data-client.ts';
import { cleanup, render } from '../ui/render.tsx';

const DRAFT = 'backtester.draft.v1';
const MINE = {
  version: 1, name: 'Keep me', settings: { universe: ['SPX'] },
  strategies: [{ id: 'a', name: 'mine', condition: { lhs: { kind: 'sma', window: { bars: 5 } }, op: '>', rhs: { kind: 'price', field: 'close' } }, action: { type: 'setWeight', weight: 1 } }],
};
const LINKED = { ...MINE, name: 'From a link', strategies: [{ ...MINE.strategies[0]!, name: 'linked' }] };
const DATA = { symbols: ['SPX'], timeframe: '1d', from: Date.UTC(2020, 0, 2), to: Date.UTC(2020, 9, 27), rows: 300, source: 'SPX.csv', missing: [] };
const payload = (doc: unknown = LINKED, extra: Record<string, unknown> = {}) => ({ v: 1 as const, doc: doc as Record<string, unknown>, data: DATA, fingerprint: null, ...extra });

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
/** A link around raw bytes (deflated as a sender would), so the JSON text itself can be hostile. */
const rawLink = (bytes: Uint8Array) => SHARE_PREFIX + b64url(deflateSync(bytes, { level: 6 }));
const textLink = (text: string) => rawLink(new TextEncoder().encode(text));
const jsonLink = (value: unknown) => textLink(JSON.stringify(value));
/** The payload with `doc` spliced in as text (keeps "__proto__" an own key; allows depths JSON.stringify cannot reach). */
const docTextLink = (docText: string) => textLink(JSON.stringify(payload('@@')).replace('"@@"', docText));

interface Tamper {
  name: string;
  hash: string;
  /** What the refusal must say; for schema problems also the JSON path the problem list must show. */
  message: RegExp;
  path?: RegExp;
}

function tamperedLinks(): Tamper[] {
  const out: Tamper[] = [];
  const add = (name: string, hash: string, message: RegExp, path?: RegExp) => out.push({ name, hash, message, path });
  const good = encodeShareHash(payload());
  const body = good.slice(SHARE_PREFIX.length);
  const damaged = /the link is damaged|the link is empty|not a strategy link/;

  // Truncated (a link cut by a chat client or a line wrap).
  for (const keep of [0, 1, 2, 5, Math.floor(body.length / 4), Math.floor(body.length / 2), body.length - 6, body.length - 3]) {
    add(`truncated to ${keep} of ${body.length} chars`, SHARE_PREFIX + body.slice(0, keep), damaged);
  }
  // Bit-flipped in the compressed bytes (raw deflate has no checksum: what is caught is what stops decoding or validating).
  const bytes = Uint8Array.from(atob(body.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  for (const [at, bit] of [[0, 0], [0, 2], [1, 7], [3, 1], [8, 4], [Math.floor(bytes.length / 3), 5], [Math.floor(bytes.length / 2), 3], [bytes.length - 4, 6], [bytes.length - 2, 0], [bytes.length - 2, 7]] as const) {
    const b = bytes.slice();
    b[at] = b[at]! ^ (1 << bit);
    add(`bit ${bit} of byte ${at} flipped`, SHARE_PREFIX + b64url(b), /the link is damaged|the link's strategy is not valid|link version/);
  }
  add('characters outside base64url', `${good.slice(0, 30)}*!${good.slice(32)}`, /not base64url text/);
  add('percent-encoded payload', SHARE_PREFIX + encodeURIComponent('{"v":1}'), /not base64url text/);
  add('empty payload', SHARE_PREFIX, /the link is empty after #\/s\//);
  add('length 4n+1', `${good}A`.slice(0, SHARE_PREFIX.length + Math.floor(body.length / 4) * 4 + 1), /not base64url text/);

  // Wrong version or envelope.
  add('version 2', jsonLink(payload(LINKED, { v: 2 })), /not valid/, /^v$/);
  add('version 0', jsonLink(payload(LINKED, { v: 0 })), /not valid/, /^v$/);
  add('version as a string', jsonLink(payload(LINKED, { v: '1' })), /not valid/, /^v$/);
  add('no version', jsonLink({ doc: LINKED, data: DATA, fingerprint: null }), /not valid/, /^v$/);
  add('document version 99', jsonLink(payload({ ...LINKED, version: 99 })), /not valid/, /^doc/);
  add('no document', jsonLink({ v: 1, data: DATA, fingerprint: null }), /not valid/, /^doc$/);
  add('document is null', jsonLink(payload(null)), /not valid/, /^doc$/);
  add('no data description', jsonLink({ v: 1, doc: LINKED, fingerprint: null }), /not valid/, /^data$/);
  add('fingerprint not hex', jsonLink(payload(LINKED, { fingerprint: 'zz' })), /not valid/, /^fingerprint$/);
  add('unknown envelope key', jsonLink(payload(LINKED, { run: true })), /not valid/, /^\(document\)|run/);
  add('payload is an array', jsonLink([payload()]), /not valid/);
  add('payload is a string', jsonLink('#/s/again'), /not valid/);
  add('JSON null', textLink('null'), /not valid/);
  add('not JSON', textLink('hello, world'), /not JSON/);
  add('JSON cut short', textLink(JSON.stringify(payload()).slice(0, 80)), /not JSON/);
  add('invalid UTF-8', rawLink(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])), /not JSON/);

  // Oversized: a long link, and a small one that inflates past the cap (a zip bomb).
  add('longer than the cap', SHARE_PREFIX + 'A'.repeat(MAX_ENCODED + 4), /longer than 64 KB/);
  add('zip bomb', textLink(`{"v":1,"doc":{"name":"${' '.repeat(4 << 20)}"}}`), /expands to more than 1024 KB/);
  add('more values than the cap', jsonLink(payload({ ...LINKED, description: Array.from({ length: 120_000 }, () => 0) })), /more than 100,000 values/, /^\(document\)$/);

  // Hostile keys.
  add('__proto__ in the envelope', textLink(`{"__proto__":{"polluted":1},${JSON.stringify(payload()).slice(1)}`), /not valid/, /__proto__/);
  add('__proto__ in data', textLink(JSON.stringify(payload()).replace('"data":{', '"data":{"__proto__":{"rows":1},')), /not valid/, /^data\.__proto__|__proto__/);
  add('__proto__ in the document', docTextLink(`{"__proto__":{"isAdmin":true},${JSON.stringify(LINKED).slice(1)}`), /not valid/, /^doc\.__proto__/);
  add('__proto__ in a condition', docTextLink(JSON.stringify(LINKED).replace('"condition":{', '"condition":{"__proto__":{"all":[]},')), /not valid/, /^doc\.strategies\[0\]\.condition\.__proto__/);
  add('constructor in the envelope', jsonLink(payload(LINKED, { constructor: { prototype: { x: 1 } } })), /not valid/);
  add('$param constructor as a weight', jsonLink(payload({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, action: { type: 'setWeight', weight: { $param: 'constructor' } } }] })), /not valid/, /^doc\.strategies\[0\]\.action\.weight/);
  add('$param __proto__ as a window', jsonLink(payload({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, condition: { lhs: { kind: 'sma', window: { bars: { $param: '__proto__' } } }, op: '>', rhs: 1 } }] })), /not valid/, /^doc\.strategies\[0\]\.condition\.lhs\.window\.bars/);

  // Deep nesting.
  const leaf = '{"lhs":{"kind":"sma","window":{"bars":3}},"op":">","rhs":1}';
  const inCondition = (text: string) => docTextLink(JSON.stringify({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, condition: '@@' }] }).replace('"@@"', text));
  add('all 1,000 deep', inCondition('{"all":['.repeat(1000) + leaf + ']}'.repeat(1000)), /not valid/, /^doc\.strategies\[0\]\.condition/);
  add('not 2,000 deep', inCondition('{"not":'.repeat(2000) + leaf + '}'.repeat(2000)), /not valid/, /^doc\.strategies\[0\]\.condition/);
  add('math 1,000 deep', inCondition(`{"lhs":${'{"kind":"math","op":"+","args":['.repeat(1000)}1${',1]}'.repeat(1000)},"op":">","rhs":0}`), /not valid/, /^doc\.strategies\[0\]\.condition\.lhs/);
  add('array 100,000 deep as the payload', textLink('['.repeat(100_000) + ']'.repeat(100_000)), /not valid|not JSON/);
  add('object 5,000 deep in data', textLink(JSON.stringify(payload()).replace('"source":"SPX.csv"', `"source":${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}`)), /not valid/, /^data/);

  // Huge and non-finite numbers.
  add('data.from 1e300', jsonLink(payload(LINKED, { data: { ...DATA, from: 1e300 } })), /not valid/, /^data\.from$/);
  add('data.to -1e300', jsonLink(payload(LINKED, { data: { ...DATA, to: -1e300 } })), /not valid/, /^data\.to$/);
  add('data.rows 1e308', jsonLink(payload(LINKED, { data: { ...DATA, rows: 1e308 } })), /not valid/, /^data\.rows$/);
  add('data.rows 1e999 (Infinity)', textLink(JSON.stringify(payload()).replace('"rows":300', '"rows":1e999')), /not valid/, /^data\.rows$/);
  add('initialCash 1e308', jsonLink(payload({ ...LINKED, settings: { ...LINKED.settings, initialCash: 1e308 } })), /not valid/, /^doc\.settings\.initialCash$/);
  add('window 2^31 bars', jsonLink(payload({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, condition: { lhs: { kind: 'sma', window: { bars: 2 ** 31 } }, op: '>', rhs: 1 } }] })), /not valid/, /^doc\.strategies\[0\]\.condition\.lhs\.window/);
  add('threshold 1e999', docTextLink(JSON.stringify(LINKED).replace('"rhs":{"kind":"price","field":"close"}', '"rhs":-1e999')), /not valid/, /^doc\.strategies\[0\]\.condition/);
  add('range date 2010-13-45', jsonLink(payload({ ...LINKED, settings: { ...LINKED.settings, range: { from: '2010-13-45' } } })), /not valid/, /^doc\.settings\.range\.from$/);

  // Script-like strings where the schema refuses them: shown as text in the problem list, never run.
  add('script as an operator', jsonLink(payload({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, condition: { ...LINKED.strategies[0]!.condition, op: '<script>window.__pwned=1</script>' } }] })), /not valid/, /^doc\.strategies\[0\]\.condition/);
  add('javascript: URL as an indicator', jsonLink(payload({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, condition: { lhs: { kind: 'javascript:window.__pwned=1' }, op: '>', rhs: 1 } }] })), /not valid/, /^doc\.strategies\[0\]\.condition/);
  add('img onerror as a time zone', jsonLink(payload({ ...LINKED, settings: { ...LINKED.settings, timezone: '<img src=x onerror="window.__pwned=1">' } })), /not valid/, /^doc\.settings\.timezone$/);
  add('template literal as a field', jsonLink(payload({ ...LINKED, strategies: [{ ...LINKED.strategies[0]!, condition: { lhs: { kind: 'price', field: '${globalThis.__pwned=1}' }, op: '>', rhs: 1 } }] })), /not valid/, /^doc\.strategies\[0\]\.condition/);
  return out;
}

/** Valid links whose free text looks like code: they open, and every string stays text. */
const SCRIPTY = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  '"><svg onload=window.__pwned=1>',
];

let client: DataClient;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ client, dispose } = await testDataClient());
  await client.importBars('spx', new File([dailyCsv(300)], 'SPX.csv'), { fileName: 'SPX.csv' });
});
afterAll(async () => {
  cleanup();
  await dispose();
});

const nameBox = () => page.getByRole('textbox', { name: 'Document name' });
const banner = () => document.querySelector<HTMLElement>('section[aria-label="Shared link"]');

/** Opens a hash and waits until the link hook has handled it and the banner shows the outcome. */
async function visit(hash: string): Promise<HTMLElement> {
  banner()?.querySelector<HTMLButtonElement>('button[aria-label="Dismiss"]')?.click();
  await expect.poll(() => banner(), { interval: 5 }).toBeNull();
  window.location.hash = hash;
  await expect.poll(() => window.location.hash, { timeout: 20_000, interval: 5 }).toBe('#/strategy');
  await expect.poll(() => banner(), { timeout: 20_000, interval: 5 }).not.toBeNull();
  return banner()!;
}

async function storedFingerprint(): Promise<string> {
  const bars = await client.get('SPX', '1d');
  let sum = 0;
  for (let i = 0; i < bars!.length; i++) sum += bars!.close[i]! * (i + 1) + bars!.time[i]! / 1e9;
  return `${JSON.stringify(await client.list())}|${bars!.length}|${sum}`;
}

describe('tampered links in the app (Chromium)', () => {
  it('refuses every tampered link with what and where, keeps draft and data, and stays usable', async () => {
    const links = tamperedLinks();
    expect(links.length).toBeGreaterThanOrEqual(55);
    localStorage.clear();
    localStorage.setItem(DRAFT, JSON.stringify(MINE));
    history.replaceState(null, '', '#/strategy');
    await render(<App data={client} queryClient={new QueryClient()} />);
    await expect.element(nameBox()).toHaveValue('Keep me');
    const draft = localStorage.getItem(DRAFT);
    const stored = await storedFingerprint();

    const failures: string[] = [];
    const t0 = performance.now();
    for (const l of links) {
      const b = await visit(l.hash);
      const alert = b.querySelector('[role="alert"]');
      const text = alert?.textContent ?? '';
      const paths = [...b.querySelectorAll('ul[aria-label="Link problems"] code')].map((c) => c.textContent ?? '');
      if (!alert || !/This link could not be opened: .+\. Nothing was changed\./.test(text)) failures.push(`${l.name}: not refused (${b.textContent?.slice(0, 200)})`);
      else if (!l.message.test(text)) failures.push(`${l.name}: message ${JSON.stringify(text.slice(0, 200))}`);
      else if (l.path && !paths.some((p) => l.path!.test(p))) failures.push(`${l.name}: paths ${JSON.stringify(paths.slice(0, 4))} ${JSON.stringify(text.slice(0, 200))}`);
      if ((nameBox().element() as HTMLInputElement).value !== 'Keep me') failures.push(`${l.name}: the open document changed`);
      if (localStorage.getItem(DRAFT) !== draft) failures.push(`${l.name}: the saved draft changed`);
    }
    const ms = performance.now() - t0;
    expect(await storedFingerprint()).toBe(stored);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
    console.log(`tampered links: ${links.length} links, ${links.length - failures.length} refused with what and where, `
      + `${failures.length} failures; draft and ${(await client.list()).length} stored dataset unchanged (${ms.toFixed(0)} ms)`);
    expect(failures).toEqual([]);

    // Still usable: edits save, and a genuine link still opens as one undoable edit.
    await userEvent.fill(nameBox(), 'Edited after');
    await expect.poll(() => localStorage.getItem(DRAFT)).toContain('Edited after');
    const b = await visit(encodeShareHash(payload()));
    expect(b.textContent).toContain('Opened “From a link”');
    await expect.element(nameBox()).toHaveValue('From a link');
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    await expect.element(nameBox()).toHaveValue('Edited after');
    cleanup();
  });

  it('opens valid links whose text looks like script, showing it as text and running nothing', async () => {
    localStorage.clear();
    history.replaceState(null, '', '#/strategy');
    await render(<App data={client} queryClient={new QueryClient()} />);
    for (const s of SCRIPTY) {
      // Symbols may be any text without spaces or a leading $ (BRK.B, ^GSPC, ES=F, BTC/USD): inert text too.
      const doc = { ...LINKED, name: s, description: s, settings: { universe: ['SPX', s.replace(/\s/g, '')] }, strategies: [{ ...LINKED.strategies[0]!, name: s }] };
      const b = await visit(encodeShareHash(payload(doc, { data: { ...DATA, source: s } })));
      expect(b.textContent).toContain(`Opened “${s}”`);
      await expect.element(nameBox()).toHaveValue(s);
      await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue(s);
    }
    expect(document.querySelector('img[src="x"], svg[onload]')).toBeNull();
    expect([...document.scripts].some((el) => el.textContent?.includes('__pwned'))).toBe(false);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
    cleanup();
  });
});
