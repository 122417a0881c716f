import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPath, parsePath } from '../../../src/ui/doc/path.ts';
import { lineColumn, loadYaml, locate, parseText } from '../../../src/ui/doc/text.ts';

// YAML support loads on demand in the app (it is not in the first load).
beforeAll(loadYaml);

const DOC = {
  name: 'a [tricky] "name" {',
  settings: { universe: ['SPX', 'AAPL'] },
  'odd key': { x: 1 },
  strategies: [
    { id: 'a', condition: { all: [{ lhs: 1, op: '>', rhs: { kind: 'sma', window: { bars: 20 } } }] } },
    { id: 'b', condition: { lhs: { kind: 'rsi', window: { weeks: 3 } }, op: '<', rhs: 30 } },
  ],
};

/** The offset a path should resolve to, found independently by searching the text after a unique anchor. */
function after(text: string, anchor: string, target: string): number {
  return text.indexOf(target, text.indexOf(anchor));
}

describe('paths', () => {
  it('parsePath inverts formatPath, including quoted keys', () => {
    for (const p of [[], ['strategies', 1, 'condition', 'all', 0, 'rhs', 'window'], ['odd key', 'x'], ['a', 0, 0, '$param']]) {
      expect(parsePath(formatPath(p))).toEqual(p);
    }
  });
});

describe('locate in JSON', () => {
  const text = JSON.stringify(DOC, null, 2);

  it('finds keys and array items at any depth, skipping strings with brackets and quotes', () => {
    expect(locate(text, 'json', ['strategies', 1, 'condition', 'lhs', 'window'])).toBe(after(text, '"id": "b"', '"window"'));
    expect(locate(text, 'json', ['strategies', 0, 'condition', 'all', 0, 'rhs', 'window', 'bars'])).toBe(text.indexOf('"bars"'));
    expect(locate(text, 'json', ['settings', 'universe', 1])).toBe(text.indexOf('"AAPL"'));
    expect(locate(text, 'json', ['odd key', 'x'])).toBe(after(text, '"odd key"', '"x"'));
  });

  it('resolves a missing key to the deepest part that exists', () => {
    expect(locate(text, 'json', ['strategies', 1, 'action'])).toBe(after(text, '"name"', '{\n      "id": "b"'));
    expect(locate(text, 'json', ['strategies', 5])).toBe(text.indexOf('"strategies"'));
  });

  it('gives 1-based lines and columns', () => {
    const at = locate(text, 'json', ['strategies', 1, 'condition', 'lhs', 'window']);
    const { line, column } = lineColumn(text, at);
    expect(text.split('\n')[line - 1]!.slice(column - 1)).toMatch(/^"window": \{/);
  });
});

describe('locate in YAML', () => {
  const text = stringify(DOC);
  it('finds map keys and sequence items', () => {
    expect(locate(text, 'yaml', ['strategies', 1, 'condition', 'lhs', 'window'])).toBe(after(text, 'id: b', 'window'));
    expect(locate(text, 'yaml', ['settings', 'universe', 1])).toBe(text.indexOf('AAPL'));
    expect(locate(text, 'yaml', ['strategies', 1, 'nope'])).toBe(text.indexOf('id: b'));
  });
});

describe('parseText', () => {
  it('reports a JSON syntax error with the offset of the bad token', () => {
    const r = parseText('{\n  "a": 1,\n  "b" 2\n}', 'json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(lineColumn('{\n  "a": 1,\n  "b" 2\n}', r.offset).line).toBe(3);
  });
  it('reports a YAML syntax error and refuses a non-object document', () => {
    const bad = parseText('a: [1, 2\nb: 3', 'yaml');
    expect(bad.ok).toBe(false);
    expect(parseText('[1, 2]', 'json')).toEqual({ ok: false, message: 'the document must be an object { … }', offset: 0 });
    expect(parseText('a: 1\n', 'yaml')).toEqual({ ok: true, value: { a: 1 } });
  });
});
