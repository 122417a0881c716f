import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderSchema, SCHEMA_FILE } from '../../../scripts/export-schema.ts';

it('public/strategy.schema.json is generated from the zod source (run npm run schema:json when this fails)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema());
});

it('the JSON Schema names the document fields', () => {
  const schema = JSON.parse(renderSchema());
  expect(schema.required).toEqual(expect.arrayContaining(['version', 'name', 'settings', 'strategies']));
  expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['parameters', 'strategies', 'settings']));
});
