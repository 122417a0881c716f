/**
 * npm run validate -- <file.json|file.yaml> [...]
 * Prints OK per valid document (exit 0), or every error with its JSON path (exit 1).
 */
import { parseDocument } from '../schema/validate.ts';
import { readDocumentData } from './inputs.ts';

export function validateFile(file: string): { ok: boolean; lines: string[] } {
  let json: unknown;
  try {
    json = readDocumentData(file);
  } catch (e) {
    return { ok: false, lines: [(e as Error).message] };
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
    const r = validateFile(file);
    for (const line of r.lines) (r.ok ? console.log : console.error)(line);
    if (r.ok) console.log(argv.length === 1 ? 'OK' : `${file}: OK`);
    ok &&= r.ok;
  }
  return ok ? 0 : 1;
}

if (process.argv[1]?.endsWith('validate.ts')) process.exit(main(process.argv.slice(2)));
