/**
 * npm run validate -- <file.json|file.yaml> [...]
 * Prints OK per valid document (exit 0), or every error with its JSON path (exit 1).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDocument } from '../schema/validate.ts';

export function validateText(text: string, file: string): { ok: boolean; lines: string[] } {
  let json: unknown;
  try {
    json = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    return { ok: false, lines: [`${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`] };
  }
  const r = parseDocument(json);
  if (!r.ok) return { ok: false, lines: r.errors.map((e) => `${file}: ${e.path}: ${e.message}`) };
  return { ok: true, lines: r.warnings.map((w) => `${file}: warning: ${w.path}: ${w.message}`) };
}

function main(argv: string[]): number {
  if (argv.length === 0) {
    console.error('usage: npm run validate -- <strategy.json|.yaml> [...]');
    return 2;
  }
  let ok = true;
  for (const file of argv) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      console.error(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      ok = false;
      continue;
    }
    const r = validateText(text, file);
    for (const line of r.lines) (r.ok ? console.log : console.error)(line);
    if (r.ok) console.log(argv.length === 1 ? 'OK' : `${file}: OK`);
    ok &&= r.ok;
  }
  return ok ? 0 : 1;
}

if (process.argv[1]?.endsWith('validate.ts')) process.exit(main(process.argv.slice(2)));
