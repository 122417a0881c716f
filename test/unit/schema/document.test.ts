import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, type StrategyDocumentInput } from '../../../src/schema/index.ts';
import { migrate } from '../../../src/schema/migrate.ts';

const root = join(__dirname, '..', '..', '..');
const templatesDir = join(root, 'public', 'strategies');

function base(): StrategyDocumentInput {
  return JSON.parse(readFileSync(join(templatesDir, 'sma-cross.json'), 'utf8'));
}
function errorsOf(doc: unknown): string[] {
  const r = parseDocument(doc);
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('templates', () => {
  const index = JSON.parse(readFileSync(join(templatesDir, 'index.json'), 'utf8')) as string[];
  it('index lists every template file', () => {
    expect([...index].sort()).toEqual(readdirSync(templatesDir).filter((f) => f !== 'index.json').sort());
  });
  it.each(index)('%s validates and has a one-line description', (file) => {
    const r = parseDocument(JSON.parse(readFileSync(join(templatesDir, file), 'utf8')));
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.doc.description).toMatch(/^[^\n]{20,160}$/);
  });
});

describe('validation errors carry JSON paths', () => {
  it('bad window deep in a condition tree', () => {
    const doc = base();
    doc.strategies[1]!.condition = {
      all: [{ lhs: 1, op: '>', rhs: { kind: 'sma', window: { bar: 3 } as never } }],
    };
    expect(errorsOf(doc)).toEqual(['strategies[1].condition.all[0].rhs.window: expected bars or duration']);
  });

  it('bad duration text', () => {
    const doc = base();
    doc.strategies[0]!.condition = { lhs: { kind: 'ema', window: { duration: '3 months' } }, op: '>', rhs: 0 };
    expect(errorsOf(doc)).toEqual(['strategies[0].condition.lhs.window.duration: expected a duration like "15m", "4h", "30d" or "2w"']);
  });

  it('unknown indicator kind', () => {
    const doc = base();
    doc.strategies[0]!.condition = { lhs: { kind: 'smaa', window: { bars: 3 } } as never, op: '>', rhs: 0 };
    const errs = errorsOf(doc);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^strategies\[0\]\.condition\.lhs\.kind: unknown indicator kind; expected one of price, sma, ema/);
  });

  it('wrong comparator and wrong operand type are both reported', () => {
    const doc = base();
    doc.strategies[0]!.condition = { lhs: 'close' as never, op: '=>' as never, rhs: 1 };
    const errs = errorsOf(doc);
    expect(errs).toContain('strategies[0].condition.op: expected one of > >= < <= = != crossesAbove crossesBelow');
    expect(errs.some((e) => e.startsWith('strategies[0].condition.lhs: expected a number'))).toBe(true);
  });

  it('nested atLeast with a non-integer count', () => {
    const doc = base();
    doc.strategies[0]!.condition = { any: [{ atLeast: 1.5, of: [{ lhs: 1, op: '>', rhs: 0 }] }] };
    expect(errorsOf(doc)[0]).toMatch(/^strategies\[0\]\.condition\.any\[0\]\.atLeast: /);
  });

  it('unknown parameter', () => {
    const doc = base();
    doc.strategies[0]!.condition = { lhs: { kind: 'sma', window: { bars: { $param: 'fastt' } } }, op: '>', rhs: 0 };
    expect(errorsOf(doc)).toEqual(['strategies[0].condition.lhs.window.bars: unknown parameter "fastt"; declare it under parameters']);
  });

  it('unknown asset and misplaced $asset', () => {
    const doc = base();
    doc.strategies[0]!.condition = {
      all: [
        { lhs: { kind: 'price', asset: 'QQQ', field: 'close' }, op: '>', rhs: 0 },
        { lhs: { kind: 'price', asset: '$asset', field: 'close' }, op: '>', rhs: 0 },
      ],
    };
    expect(errorsOf(doc)).toEqual([
      'strategies[0].condition.all[0].lhs.asset: unknown symbol "QQQ"; add it to settings.universe',
      'strategies[0].condition.all[1].lhs.asset: "$asset" is only meaningful inside a universe rule',
    ]);
  });

  it('negative weight without shorting, and a parameter whose default is outside its range', () => {
    const doc = base();
    doc.settings.allowShort = false;
    expect(errorsOf(doc)).toEqual(['strategies[1].action.weight: a negative weight is a short: set settings.allowShort to true']);
    const doc2 = base();
    doc2.parameters!.fast = { default: 100, min: 2, max: 50 };
    expect(errorsOf(doc2)).toEqual(['parameters.fast.default: default 100 is above max 50']);
  });

  it('bad action type and bad amount unit', () => {
    const doc = base();
    doc.strategies[0]!.action = { type: 'buy', amount: { unit: 'percent', value: 5 } as never };
    expect(errorsOf(doc)[0]).toMatch(/^strategies\[0\]\.action\.amount/);
    doc.strategies[0]!.action = { type: 'purchase' } as never;
    expect(errorsOf(doc)).toEqual(['strategies[0].action: expected an action: buy, sell, setWeight, rebalance, closeAll or alert']);
  });

  it('duplicate ids and unknown settings keys', () => {
    const doc = base();
    doc.strategies[1]!.id = 'long';
    expect(errorsOf(doc)).toEqual(['strategies[1].id: duplicate strategy id "long"']);
    const doc2 = base() as unknown as { settings: Record<string, unknown> };
    doc2.settings.cash = 5;
    expect(errorsOf(doc2)[0]).toMatch(/^settings: Unrecognized key: "cash"/);
  });

  it('universe rule accepts $asset and rejects unknown candidates', () => {
    const doc = JSON.parse(readFileSync(join(templatesDir, 'momentum-rotation-fundamentals.json'), 'utf8'));
    expect(parseDocument(doc).ok).toBe(true);
    doc.strategies[0].action.universe.candidates.push('TSLA');
    expect(errorsOf(doc)).toEqual(['strategies[0].action.universe.candidates[5]: unknown symbol "TSLA"; add it to settings.universe']);
  });

  it('MACD windows of mixed kinds', () => {
    const doc = base();
    doc.strategies[0]!.condition = { lhs: { kind: 'macd', fast: { bars: 12 }, slow: { bars: 26 }, signal: { duration: '9d' }, output: 'line' }, op: '>', rhs: 0 };
    expect(errorsOf(doc)).toEqual(['strategies[0].condition.lhs.signal: MACD windows fast, slow and signal must all be bars or all durations']);
  });

  it('warns about close fills', () => {
    const doc = base();
    doc.settings.fillModel = 'close';
    const r = parseDocument(doc);
    expect(r.ok && r.warnings.map((w) => w.path)).toEqual(['settings.fillModel']);
  });

  it('fills settings defaults', () => {
    const r = parseDocument(base());
    expect(r.ok && r.doc.settings.fees).toEqual({ fraction: 0.002, perShare: 0, perOrder: 0, minimum: 0 });
    expect(r.ok && r.doc.settings.slippage).toEqual({ bps: 0, fixed: 0 });
  });
});

describe('versions and migration', () => {
  it('refuses a missing version, a newer version, and non-objects', () => {
    const doc = base() as Record<string, unknown>;
    delete doc.version;
    expect(errorsOf(doc)[0]).toMatch(/^version: expected a schema version number/);
    expect(errorsOf({ ...base(), version: 99 })[0]).toMatch(/^version: document version 99 is newer/);
    expect(errorsOf([])).toEqual(['(document): expected a JSON object']);
  });
  it('migrates step by step through an injected table', () => {
    const table = {
      1: (d: Record<string, unknown>) => ({ ...d, title: undefined, name: d.title }),
      2: (d: Record<string, unknown>) => ({ ...d, extra: true }),
    };
    const r = migrate({ version: 1, title: 'x' }, table, 3);
    expect(r).toEqual({ ok: true, from: 1, migrated: true, doc: { version: 3, title: undefined, name: 'x', extra: true } });
    expect(migrate({ version: 1 }, {}, 2)).toEqual({ ok: false, errors: [{ path: 'version', message: 'no migration from version 1 to 2' }] });
  });
});
