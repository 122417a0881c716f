import type { StrategyDocumentInput } from '../../schema/index.ts';

/**
 * The document being edited. Typed as the schema's input, but it may be invalid at any moment (a builder
 * edit that leaves an empty group, JSON that parses but does not validate): every view reads it defensively
 * and parseDocument() says what is wrong.
 */
export type Draft = StrategyDocumentInput;

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
