import { locateJson } from './locate-json.ts';
import type { Path } from './path.ts';
import type * as YamlModule from './yaml-text.ts';

type YamlText = typeof YamlModule;
let yamlText: YamlText | null = null;

/** Loads YAML support; serialize/parseText/locate with 'yaml' need it done (the editor awaits it before switching). */
export async function loadYaml(): Promise<void> {
  yamlText ??= await import('./yaml-text.ts');
}

function yaml(): YamlText {
  if (!yamlText) throw new Error('YAML support is not loaded yet (call loadYaml first)');
  return yamlText;
}

export type TextFormat = 'json' | 'yaml';

export type TextParse =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string; offset: number };

export function serialize(doc: unknown, format: TextFormat): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : yaml().stringifyYaml(doc);
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
    const r = yaml().parseYaml(text);
    if (!r.ok) return r;
    value = r.value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'the document must be an object { … }', offset: 0 };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

export function locate(text: string, format: TextFormat, path: Path): number {
  return format === 'json' ? locateJson(text, path) : yaml().locateYaml(text, path);
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
