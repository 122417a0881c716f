/**
 * Fails when a module imports upward across the layers of DESIGN.md §2.
 * Usage: tsx scripts/check-deps.ts [root]   (root defaults to the project)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYERS, PACKAGES } from './layers.ts';

export interface Violation { file: string; line: number; spec: string; reason: string }

const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function layerOf(rel: string): string | undefined {
  const parts = rel.split(sep).join('/').split('/');
  if (parts[0] === 'workers') return 'workers';
  if (parts[0] === 'src' && parts[1]) return `src/${parts[1]}`;
  return undefined;
}

function* sourceFiles(dir: string): Generator<string> {
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|tsx)$/.test(name)) yield p;
  }
}

export function checkDeps(root: string): Violation[] {
  const out: Violation[] = [];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'workers'))]) {
    const rel = relative(root, file);
    const from = layerOf(rel);
    if (!from) continue;
    const rule = LAYERS[from];
    if (!rule) { out.push({ file: rel, line: 1, spec: '', reason: `unknown layer ${from}` }); continue; }
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[3] ?? m[4];
      if (!spec) continue;
      const typeOnly = Boolean(m[2]);
      const line = text.slice(0, m.index).split('\n').length;
      if (spec.startsWith('.')) {
        const target = layerOf(relative(root, resolve(dirname(file), spec)));
        if (!target || target === from) continue;
        const allowed = rule.may.includes(target) || (typeOnly && rule.typeOnly?.includes(target));
        if (!allowed) {
          out.push({ file: rel, line, spec, reason: `${from} may not import ${typeOnly ? 'types from ' : ''}${target}` });
        }
      } else if (!spec.startsWith('node:') || from.startsWith('src/')) {
        const pkgs = PACKAGES[from];
        if (pkgs === undefined || pkgs === '*' || typeOnly) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!pkgs.includes(name)) out.push({ file: rel, line, spec, reason: `${from} may not depend on package ${name}` });
      }
    }
  }
  return out;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const v = checkDeps(root);
  for (const x of v) console.error(`${x.file}:${x.line}: ${x.reason} ('${x.spec}')`);
  if (v.length) { console.error(`${v.length} layer violation(s)`); process.exit(1); }
  console.log('layers OK');
}
