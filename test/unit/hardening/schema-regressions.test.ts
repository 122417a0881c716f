/** Regression tests for the schema failures of issue #10, named after them. */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/schema/validate.ts';
import { DOCUMENT_LIMITS } from '../../../src/schema/limits.ts';
import { parseSharePayload } from '../../../src/schema/share.ts';
import { decodeShareHash, encodeShareHash } from '../../../src/ui/share/codec.ts';
import { baseDoc } from './hostile-documents.ts';

const errorsOf = (json: string) => {
  const r = parseDocument(JSON.parse(json));
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};
const withCondition = (text: string) => JSON.stringify({ ...baseDoc(), strategies: [{ ...(baseDoc().strategies as object[])[0], condition: '@' }] }).replace('"@"', text);
const leaf = '{"lhs":{"kind":"price","field":"close"},"op":">","rhs":1}';

describe('issue #10 schema regressions', () => {
  it('deep nesting throws a RangeError: all 1,000 deep, not 2,000 deep and math 1,000 deep are refused with a path', () => {
    for (const [open, close, depth] of [['{"all":[', ']}', 1000], ['{"not":', '}', 2000], ['{"kind":"math","op":"+","args":[', ',1]}', 1000]] as const) {
      const inner = open.includes('math') ? `{"lhs":${open.repeat(depth)}1${close.repeat(depth)},"op":">","rhs":1}` : open.repeat(depth) + leaf + close.repeat(depth);
      const errs = errorsOf(withCondition(inner));
      expect(errs).toHaveLength(1);
      expect(errs[0]).toMatch(new RegExp(`^strategies\\[0\\]\\.condition.*: nested more than ${DOCUMENT_LIMITS.maxDepth} levels deep`));
    }
  });

  it('$param names inherited from Object.prototype pass the unknown-parameter check', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const doc = { ...baseDoc(), strategies: [{ id: 'a', name: 'a', action: { type: 'setWeight', weight: { $param: name } } }] };
      expect(errorsOf(JSON.stringify(doc))).toEqual([`strategies[0].action.weight: unknown parameter "${name}"; declare it under parameters`]);
    }
    // Declared, such a name is an ordinary parameter.
    const ok = { ...baseDoc(), parameters: { constructor: { default: 0.5 } }, strategies: [{ id: 'a', name: 'a', action: { type: 'setWeight', weight: { $param: 'constructor' } } }] };
    expect(errorsOf(JSON.stringify(ok))).toEqual([]);
  });

  it('a __proto__ key in a linked document is accepted while the CLI refuses it: one rule everywhere', () => {
    const json = JSON.stringify(baseDoc()).replace('"settings":{', '"settings":{"__proto__":{"initialCash":1},');
    expect(errorsOf(json)).toEqual(['settings.__proto__: the key "__proto__" is not allowed']);
    const link = parseSharePayload(JSON.parse(`{"v":1,"doc":${json},"data":{"symbols":["SPY"],"timeframe":"1d","from":null,"to":null,"rows":0,"source":""},"fingerprint":null}`));
    expect(link.ok ? [] : link.errors.map((e) => e.path)).toEqual(['doc.settings.__proto__']);
  });

  it('values validate accepts but runs cannot are bounded with JSON paths', () => {
    const doc = baseDoc() as { settings: Record<string, unknown>; parameters: Record<string, unknown>; strategies: { condition: unknown }[] };
    doc.settings = { ...doc.settings, timezone: 'Mars/Olympus', range: { from: '2010-13-45' }, initialCash: 1e308 };
    doc.parameters = { fast: { default: 1e308 }, zero: { default: 0 }, th: { default: 1, min: 0, max: 1, step: 1e-6 } };
    doc.strategies[0]!.condition = { all: [
      { lhs: { kind: 'sma', window: { bars: 2 ** 31 } }, op: '>', rhs: 1 },
      { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: '>', rhs: { kind: 'ema', window: { bars: { $param: 'zero' } } } },
      { lhs: { $param: 'th' }, op: '>', rhs: 1 },
    ] };
    const paths = errorsOf(JSON.stringify(doc)).map((e) => e.slice(0, e.indexOf(':')));
    expect(paths.sort()).toEqual([
      'parameters.fast.default', 'parameters.th.step', 'settings.initialCash', 'settings.range.from', 'settings.timezone', 'strategies[0].condition.all[0].lhs.window.bars',
    ].sort());
    // The window-parameter check runs once the shape is valid: 2^31 and 0 are no window lengths.
    const params = baseDoc() as { parameters: Record<string, unknown>; strategies: { condition: unknown }[] };
    params.parameters = { fast: { default: 2 ** 31 }, zero: { default: 0 } };
    params.strategies[0]!.condition = { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: '>', rhs: { kind: 'ema', window: { bars: { $param: 'zero' } } } };
    expect(errorsOf(JSON.stringify(params)).map((e) => e.slice(0, e.indexOf(':'))).sort()).toEqual(['parameters.fast.default', 'parameters.zero.default']);
  });

  it('a large valid document freezes the app: 5,000 conditions pass, beyond the cap is refused with a reason', () => {
    const cmp = { lhs: { kind: 'sma', window: { bars: 3 } }, op: '>', rhs: 1 };
    const big = (n: number) => JSON.stringify({ ...baseDoc(), strategies: [{ id: 'a', name: 'a', condition: { all: Array(n).fill(cmp) }, action: { type: 'closeAll' } }] });
    expect(errorsOf(big(5000))).toEqual([]);
    const refused = errorsOf(big(20_000));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(new RegExp(`^\\(document\\): the document (has more than ${DOCUMENT_LIMITS.maxValues.toLocaleString('en-US')} values|is larger than 1024 KB)`));
  });

  it('a link whose data.from is 1e300 leaves the banner on "Checking your data…"', () => {
    const doc = baseDoc();
    const hash = encodeShareHash({ v: 1, doc, data: { symbols: ['SPY'], timeframe: '1d', from: 1e300, to: 1e300, rows: 1, source: '' }, fingerprint: null });
    const r = decodeShareHash(hash);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.errors.map((e) => e.path)).toEqual(['data.from', 'data.to']);
  });
});
