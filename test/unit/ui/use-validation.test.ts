import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLargeDocument, LARGE_DOCUMENT_NODES } from '../../../src/ui/doc/useValidation.ts';
import { PROJECT_ROOT } from '../../helpers/shared-data.ts';

describe('which drafts may defer validation (useValidation)', () => {
  it('a template on a busy machine ran the previous document: small drafts never count as large', () => {
    const doc = JSON.parse(readFileSync(join(PROJECT_ROOT, 'public', 'strategies', 'sma-cross.json'), 'utf8'));
    expect(isLargeDocument(doc)).toBe(false);
  });

  it('a 5,000-condition group is large; counting stops at the limit and survives deep nesting', () => {
    const cond = { lhs: { kind: 'price' }, op: '>', rhs: 1 };
    expect(isLargeDocument({ strategies: [{ condition: { all: Array.from({ length: 5_000 }, () => cond) } }] })).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    expect(isLargeDocument(deep)).toBe(true);
    expect(isLargeDocument(Array.from({ length: LARGE_DOCUMENT_NODES - 1 }, () => 0))).toBe(false);
  });
});
