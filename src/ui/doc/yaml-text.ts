/** The YAML side of the text editor, loaded on first use (the yaml library is ~30 KB gzip of the first load). */
import { parseDocument, stringify } from 'yaml';
export { locateYaml } from './locate-yaml.ts';

export function stringifyYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0 });
}

export function parseYaml(text: string): { ok: true; value: unknown } | { ok: false; message: string; offset: number } {
  const doc = parseDocument(text, { prettyErrors: false });
  const err = doc.errors[0];
  return err ? { ok: false, message: err.message, offset: err.pos[0] } : { ok: true, value: doc.toJS() };
}
