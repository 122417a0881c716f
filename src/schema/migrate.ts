import { CURRENT_VERSION } from './document.ts';
import type { SchemaError } from './errors.ts';

/**
 * Migrations from version v to v + 1. A document is migrated step by step to CURRENT_VERSION; a newer
 * document than this engine knows, or one without a version, is refused with a reason (never silently).
 * Version 1 is the first published schema, so the table is empty; the entry point is exercised by tests
 * with an injected table.
 */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export type MigrationResult =
  | { ok: true; doc: unknown; from: number; migrated: boolean }
  | { ok: false; errors: SchemaError[] };

export function migrate(
  input: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  current: number = CURRENT_VERSION,
): MigrationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '(document)', message: 'expected a JSON object' }] };
  }
  const version = (input as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, errors: [{ path: 'version', message: `expected a schema version number (current is ${current})` }] };
  }
  if (version > current) {
    return {
      ok: false,
      errors: [{ path: 'version', message: `document version ${version} is newer than this app understands (${current}); update the app` }],
    };
  }
  let doc = input as Record<string, unknown>;
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, errors: [{ path: 'version', message: `no migration from version ${v} to ${v + 1}` }] };
    doc = { ...step(doc), version: v + 1 };
  }
  return { ok: true, doc, from: version, migrated: version !== current };
}
