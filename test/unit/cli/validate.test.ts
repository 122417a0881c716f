import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real command (`npm run validate` runs this same file with tsx). */
function validate(...files: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'validate.ts'), ...files], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('npm run validate', () => {
  it('prints OK and exits 0 for a valid document', () => {
    expect(validate(join(root, 'public', 'strategies', 'sma-cross.json'))).toEqual({ code: 0, out: 'OK', err: '' });
  });

  it('prints every error with its JSON path and exits 1', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, [
      'version: 1', 'name: bad', 'settings: { universe: [SPY] }', 'strategies:',
      '  - id: a', '    name: a', '    condition: { lhs: { kind: sma, window: { bar: 3 } }, op: ">", rhs: 1 }', '    action: { type: buy }',
      '  - id: a', '    name: b', '    action: { type: closeAll }',
    ].join('\n'));
    const r = validate(bad);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      `${bad}: strategies[0].condition.lhs.window: expected bars or duration`,
      expect.stringMatching(new RegExp(`^${bad.replace(/[.]/g, '\\.')}: strategies\\[0\\]\\.action\\.amount: `)),
    ]);
  });

  it('reports semantic errors and unreadable files', () => {
    const dup = join(dir, 'dup.json');
    writeFileSync(dup, JSON.stringify({ version: 1, name: 'd', settings: { universe: ['A'] }, strategies: [
      { id: 'x', name: 'x', action: { type: 'closeAll' } }, { id: 'x', name: 'y', action: { type: 'closeAll' } }] }));
    expect(validate(dup)).toMatchObject({ code: 1, err: `${dup}: strategies[1].id: duplicate strategy id "x"` });
    expect(validate(join(dir, 'missing.json'))).toMatchObject({ code: 1, err: `cannot read strategy ${join(dir, 'missing.json')}: ENOENT` });
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{ nope');
    expect(validate(notJson).err).toMatch(/x\.json: not valid JSON: /);
  });
});
