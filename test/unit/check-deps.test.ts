import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDeps } from '../../scripts/check-deps.ts';

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'deps-'));
  dirs.push(root);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  return root;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('dependency-direction check', () => {
  it('fails when the engine imports the ui', () => {
    const root = tree({
      'src/ui/App.tsx': 'export const x = 1;',
      'src/engine/loop.ts': "import { x } from '../ui/App.tsx';\nexport const y = x;",
    });
    const v = checkDeps(root);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ file: 'src/engine/loop.ts', line: 1, reason: 'src/engine may not import src/ui' });
  });

  it('allows downward imports and type-only imports into the ui', () => {
    const root = tree({
      'src/lib/a.ts': 'export const a = 1;',
      'src/engine/e.ts': "import { a } from '../lib/a.ts';\nexport type E = { a: typeof a };",
      'src/ui/u.ts': "import type { E } from '../engine/e.ts';\nexport type U = E;",
    });
    expect(checkDeps(root)).toEqual([]);
  });

  it('rejects value imports of the engine from the ui', () => {
    const root = tree({
      'src/engine/e.ts': 'export const e = 1;',
      'src/ui/u.ts': "import { e } from '../engine/e.ts';\nexport const u = e;",
    });
    expect(checkDeps(root).map((v) => v.reason)).toEqual(['src/ui may not import src/engine']);
  });

  it('rejects third-party packages in pure layers', () => {
    const root = tree({ 'src/indicators/i.ts': "import React from 'react';\nexport const r = React;" });
    expect(checkDeps(root)[0]?.reason).toBe('src/indicators may not depend on package react');
  });

  it('passes on this repository', () => {
    expect(checkDeps(join(__dirname, '..', '..'))).toEqual([]);
  });
});
