import { z } from 'zod';
import { formatPath, formatZodError, type SchemaError } from './errors.ts';
import type { StrategyDocument } from './document.ts';
import { parseDocument } from './validate.ts';
import { shapeErrors } from './limits.ts';
import { isSaneTime } from '../lib/time.ts';

/** Version of the link envelope (the document inside carries, and migrates by, its own `version`). */
export const SHARE_VERSION = 1;

/** A bar time a store can hold (1800–2200): anything else in a link is tampering, refused with its path. */
const barTime = z.number().refine(isSaneTime, { error: 'expected a bar time between 1800 and 2200 (epoch ms)' });

/**
 * What the sender's data looked like, so a recipient whose data differ is told how. Times are epoch ms of
 * the first and last bar over all symbols; `source` is where the sender's bars came from (file names,
 * "embedded: …").
 */
export const ShareDataSchema = z.strictObject({
  symbols: z.array(z.string().min(1).max(64)).max(1000),
  timeframe: z.string().min(1).max(8),
  from: barTime.nullable(),
  to: barTime.nullable(),
  rows: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  source: z.string().max(2000),
  /** Symbols the sender had no stored bars for (the fingerprint covers only the others). */
  missing: z.array(z.string().min(1).max(64)).max(1000).default([]),
});

/**
 * The payload of a shareable link. `doc` is checked by parseDocument (migration, then the full strategy
 * schema), not here, so its errors carry their paths inside the document.
 * `fingerprint` is barsFingerprint() (src/lib/fingerprint.ts) of the sender's bars for `data.symbols`, or
 * null when the sender had none of them stored.
 */
export const SharePayloadSchema = z.strictObject({
  v: z.literal(SHARE_VERSION, { error: `expected link version ${SHARE_VERSION}` }),
  doc: z.record(z.string(), z.unknown()),
  data: ShareDataSchema,
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 hex digits').nullable(),
});

export type ShareData = z.output<typeof ShareDataSchema>;
export type SharePayloadInput = z.input<typeof SharePayloadSchema>;
export interface SharePayload extends Omit<z.output<typeof SharePayloadSchema>, 'doc'> {
  doc: StrategyDocument;
}

export type ShareParseResult = { ok: true; payload: SharePayload } | { ok: false; errors: SchemaError[] };

/**
 * Validates a decoded link payload: the envelope, then the document with its errors' paths under `doc`.
 * The result is data only. Nothing in a link is ever evaluated: strategies compile to code from validated
 * numbers and enum names (src/strategy/compile.ts), never from strings a document carries.
 */
export function parseSharePayload(input: unknown): ShareParseResult {
  const shape = shapeErrors(input);
  if (shape.length) return { ok: false, errors: shape };
  const env = SharePayloadSchema.safeParse(input);
  if (!env.success) return { ok: false, errors: formatZodError(env.error) };
  const doc = parseDocument(env.data.doc);
  if (!doc.ok) {
    return { ok: false, errors: doc.errors.map((e) => ({ ...e, path: e.path === '(document)' ? 'doc' : formatPath(['doc']) + (e.path.startsWith('[') ? '' : '.') + e.path })) };
  }
  return { ok: true, payload: { ...env.data, doc: doc.doc } };
}
