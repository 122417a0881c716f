/**
 * Approximate list prices in US dollars per million tokens (input, output), for the attempt log's cost
 * estimate. Matched by model-name prefix, longest first. A model not listed has no estimate (shown as
 * "unknown"); local servers cost nothing. Prices change: this table is a guide, not a bill.
 */
const PRICES: readonly [prefix: string, input: number, output: number][] = [
  ['gpt-4o-mini', 0.15, 0.6],
  ['gpt-4o', 2.5, 10],
  ['gpt-4.1-nano', 0.1, 0.4],
  ['gpt-4.1-mini', 0.4, 1.6],
  ['gpt-4.1', 2, 8],
  ['gpt-5-nano', 0.05, 0.4],
  ['gpt-5-mini', 0.25, 2],
  ['gpt-5', 1.25, 10],
  ['o4-mini', 1.1, 4.4],
  ['o3', 2, 8],
  ['claude-3-5-haiku', 0.8, 4],
  ['claude-haiku-4', 1, 5],
  ['claude-3-5-sonnet', 3, 15],
  ['claude-3-7-sonnet', 3, 15],
  ['claude-sonnet-4', 3, 15],
  ['claude-opus-4', 15, 75],
  ['gemini-2.0-flash-lite', 0.075, 0.3],
  ['gemini-2.0-flash', 0.1, 0.4],
  ['gemini-2.5-flash-lite', 0.1, 0.4],
  ['gemini-2.5-flash', 0.3, 2.5],
  ['gemini-2.5-pro', 1.25, 10],
];
const BY_LENGTH = [...PRICES].sort((a, b) => b[0].length - a[0].length);

/** Estimated cost in USD, or null when the model's price or the token counts are unknown. */
export function estimateCost(model: string, inputTokens: number | null, outputTokens: number | null, local = false): number | null {
  if (local) return 0;
  if (inputTokens === null || outputTokens === null) return null;
  const m = model.toLowerCase().replace(/^models\//, '');
  const p = BY_LENGTH.find(([prefix]) => m.startsWith(prefix));
  return p ? (inputTokens * p[1] + outputTokens * p[2]) / 1e6 : null;
}
