/**
 * Renaming or removing a parameter in the builder (issue 16): a rename carries the constraints and the $param
 * references with it; a removal takes the constraints that named it and says which.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/schema/index.ts';
import { removeParameter, renameParameter } from '../../../src/ui/builder/parameter-edits.ts';
import type { Draft } from '../../../src/ui/doc/draft.ts';

const template = (): Draft => JSON.parse(readFileSync('public/strategies/sma-cross.json', 'utf8')) as Draft;

describe('renameParameter', () => {
  it('renaming fast updates the constraint fast < slow, every $param reference, and the document stays valid', () => {
    const doc = template();
    const out = renameParameter(doc, 'fast', 'quick');
    expect(out.parameterConstraints).toEqual([{ left: 'quick', op: '<', right: 'slow' }]);
    expect(Object.keys(out.parameters!)).toEqual(['quick', 'slow']);
    expect(out.parameters!.quick).toEqual(doc.parameters!.fast);
    const text = JSON.stringify(out);
    expect(text).not.toContain('"fast"');
    expect(text.match(/"\$param":"quick"/g)).toHaveLength(2);
    expect(text.match(/"\$param":"slow"/g)).toHaveLength(2);
    expect(parseDocument(out).ok).toBe(true);
    // The document's keys keep their order (the JSON text does not jump around).
    expect(Object.keys(out)).toEqual(Object.keys(doc));
    // The input is not modified.
    expect(doc.parameterConstraints).toEqual([{ left: 'fast', op: '<', right: 'slow' }]);
  });

  it('the right side follows too, and branches without the name keep their identity', () => {
    const doc = template();
    const out = renameParameter(doc, 'slow', 'slowest');
    expect(out.parameterConstraints).toEqual([{ left: 'fast', op: '<', right: 'slowest' }]);
    expect(out.settings).toBe(doc.settings);
    expect(parseDocument(out).ok).toBe(true);
  });

  it('typing a new name one letter at a time (slow → s → sl… → slowest) ends where a single rename does', () => {
    let doc = template();
    let name = 'slow';
    for (const next of ['slo', 'sl', 's', '', 'l', 'le', 'len']) {
      doc = renameParameter(doc, name, next);
      name = next;
    }
    expect(doc).toEqual(renameParameter(template(), 'slow', 'len'));
  });

  it('a name already declared is refused: two parameters never merge', () => {
    const doc = template();
    expect(renameParameter(doc, 'fast', 'slow')).toBe(doc);
    expect(renameParameter(doc, 'nope', 'x')).toBe(doc);
  });

  it('an object with more keys than $param is not a reference and is left alone', () => {
    const doc = { ...template(), description: { $param: 'fast', note: 1 } } as unknown as Draft;
    expect((renameParameter(doc, 'fast', 'f') as unknown as { description: unknown }).description).toEqual({ $param: 'fast', note: 1 });
  });
});

describe('removeParameter', () => {
  it('removing slow removes the constraint fast < slow with it (the field goes when none is left) and reports it', () => {
    const doc = template();
    const { doc: out, removedConstraints } = removeParameter(doc, 'slow');
    expect(removedConstraints).toEqual([{ left: 'fast', op: '<', right: 'slow' }]);
    expect('parameterConstraints' in out).toBe(false);
    expect(Object.keys(out.parameters!)).toEqual(['fast']);
    // The rules still name $slow: validation places each reference instead of guessing a replacement.
    const parsed = parseDocument(out);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.every((e) => /unknown parameter "slow"/.test(e.message) && e.path.startsWith('strategies['))).toBe(true);
    }
  });

  it('keeps the constraints that do not name it', () => {
    const doc = { ...template(), parameters: { ...template().parameters, mid: { default: 15 } },
      parameterConstraints: [{ left: 'fast', op: '<', right: 'mid' }, { left: 'fast', op: '<', right: 'slow' }] } as Draft;
    const { doc: out, removedConstraints } = removeParameter(doc, 'mid');
    expect(removedConstraints).toEqual([{ left: 'fast', op: '<', right: 'mid' }]);
    expect(out.parameterConstraints).toEqual([{ left: 'fast', op: '<', right: 'slow' }]);
    expect(parseDocument(out).ok).toBe(true);
  });
});
