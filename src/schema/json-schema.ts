import { z } from 'zod';
import { DocumentSchema } from './document.ts';

export const SCHEMA_ID = 'https://backtester.local/strategy.schema.json';

/** JSON Schema of the strategy document, generated from the zod source (editors use it for completion). */
export function strategyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DocumentSchema, { io: 'input', cycles: 'ref', unrepresentable: 'any', reused: 'inline' });
  return { ...schema, $id: SCHEMA_ID, title: 'Strategy document' };
}
