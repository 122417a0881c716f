import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * V8 keeps an object field that first held undefined (a class field declared without a value: this project
 * compiles class fields with define semantics, ES2022) as a tagged value, and then allocates a heap number
 * at every store of a fraction to it; a field that starts as a number is written in place. Portfolio.cash and
 * the walks' running peak were such fields: with them and the compiled walk's scratch record (null fill
 * fields, walk.ts ScratchRecord) fixed together, the engine worker allocated 48.6 MB on W2's first run in
 * Chromium instead of 73.7 (sampling heap profile, 2026-12-05), each MB a share of its young-generation collections.
 */
function unsetNumberFields(file: string, text: string): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (n: ts.Node, cls: string | null): void => {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) cls = n.name?.text ?? '(class)';
    if (cls !== null && ts.isPropertyDeclaration(n) && n.initializer === undefined) {
      const mods = ts.getModifiers(n) ?? [];
      const fixed = mods.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword || m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.StaticKeyword);
      const type = n.type?.getText(src) ?? '';
      if (!fixed && /^number(\s*\|\s*(null|undefined))?$/.test(type)) {
        out.push(`${file}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${cls}.${n.name.getText(src)}`);
      }
    }
    ts.forEachChild(n, (c) => visit(c, cls));
  };
  visit(src, null);
  return out;
}

const root = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('mutable number fields of the engine and indicator classes', () => {
  it('start as numbers, so V8 writes them in place (a field declared without a value allocates at every store)', () => {
    const found = ['src/engine', 'src/indicators'].flatMap((d) => sources(join(root, d)))
      .flatMap((f) => unsetNumberFields(relative(root, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the check finds a declared-only number field, and passes readonly ones and ones with a value', () => {
    const text = [
      'class A { cash: number; readonly n: number; peak = 0; last: number | null; private step: number;',
      '  constructor() { this.cash = 1; this.n = 2; this.last = null; this.step = 0; } }',
    ].join('\n');
    expect(unsetNumberFields('a.ts', text)).toEqual(['a.ts:1 A.cash', 'a.ts:1 A.last', 'a.ts:1 A.step']);
  });
});
