import { parseDocument as parseYaml, stringify as stringifyYaml } from 'yaml';
import { locateJson } from './locate-json.ts';
import { locateYaml } from './locate-yaml.ts';
import type { Path } from './path.ts';

export type TextFormat = 'json' | 'yaml';

export type TextParse =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string; offset: number };

export function serialize(doc: unknown, format: TextFormat): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringifyYaml(doc, { lineWidth: 0 });
}

/** Syntax only; the schema is checked on the resulting value by parseDocument. */
export function parseText(text: string, format: TextFormat): TextParse {
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(message);
      return { ok: false, message, offset: pos ? Number(pos[1]) : text.length };
    }
  } else {
    const doc = parseYaml(text, { prettyErrors: false });
    const err = doc.errors[0];
    if (err) return { ok: false, message: err.message, offset: err.pos[0] };
    value = doc.toJS();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'the document must be an object { … }', offset: 0 };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

export function locate(text: string, format: TextFormat, path: Path): number {
  return format === 'json' ? locateJson(text, path) : locateYaml(text, path);
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
