/** Writes public/strategy.schema.json from the zod source. A test fails when the file is stale. */
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strategyJsonSchema } from '../src/schema/json-schema.ts';

export const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'strategy.schema.json');
export function renderSchema(): string {
  return `${JSON.stringify(strategyJsonSchema(), null, 2)}\n`;
}
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, renderSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
