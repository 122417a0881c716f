import { parseDocument, type SchemaError, type StrategyDocument } from '../../schema/index.ts';
import type { Draft } from './draft.ts';

export interface Validation {
  /** The validated document, or null while there are errors. */
  doc: StrategyDocument | null;
  errors: SchemaError[];
  warnings: SchemaError[];
  /** Errors by formatted path, for the builder's inline messages. */
  byPath: ReadonlyMap<string, SchemaError[]>;
}

export function validate(draft: Draft): Validation {
  const r = parseDocument(draft);
  const errors = r.ok ? [] : r.errors;
  const warnings = r.ok ? r.warnings : [];
  const byPath = new Map<string, SchemaError[]>();
  for (const e of errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  return { doc: r.ok ? r.doc : null, errors, warnings, byPath };
}
