import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersFor } from '../../../src/llm/assemble.ts';
import type { StrategyDocumentInput } from '../../../src/schema/index.ts';
import type { Reply } from './fake/server.ts';

/** A template read from public/strategies, without its editor-only $schema key. */
export function template(file: string): StrategyDocumentInput {
  const { $schema: _s, ...doc } = JSON.parse(readFileSync(join(import.meta.dirname, '../../../public/strategies', file), 'utf8')) as Record<string, unknown>;
  return doc as unknown as StrategyDocumentInput;
}

/** The replies a perfect model gives for `doc`: one outline, one condition and one action per rule. */
export function scriptFor(doc: StrategyDocumentInput): Record<string, Reply[]> {
  const a = answersFor(doc);
  const s: Record<string, Reply[]> = { outline: [{ json: a.outline }] };
  doc.strategies.forEach((st, i) => {
    if (a.conditions[i] !== undefined) s[`condition:${st.id}`] = [{ json: { condition: a.conditions[i] } }];
    s[`action:${st.id}`] = [{ json: { action: a.actions[i] } }];
  });
  return s;
}
