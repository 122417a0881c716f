import type { ProviderName } from './types.ts';

/** One request to a model, as the attempt log keeps it. No prompt text and no key: sizes, timings, outcome. */
export interface AttemptRecord {
  /** "outline", "condition:enter", "action:enter". */
  task: string;
  provider: ProviderName;
  model: string;
  /** 1-based, per task and model. */
  attempt: number;
  escalated: boolean;
  /** Characters of system prompt + messages + schema sent. */
  promptChars: number;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
  /** Estimated USD; null when the model's price or token counts are unknown. */
  costUsd: number | null;
  outcome: 'ok' | 'invalid-json' | 'invalid' | 'refused' | 'timeout' | 'error' | 'cancelled';
  /** What was wrong, as sent back to the model (or shown to the user). */
  error?: string;
  streamed: boolean;
  /** Epoch ms when the request started. */
  startedAt: number;
}

export interface AttemptTotals {
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
}

export function totals(records: readonly AttemptRecord[]): AttemptTotals {
  let cost: number | null = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let latencyMs = 0;
  for (const r of records) {
    inputTokens += r.inputTokens ?? 0;
    outputTokens += r.outputTokens ?? 0;
    latencyMs += r.latencyMs;
    cost = cost === null || r.costUsd === null ? null : cost + r.costUsd;
  }
  return { attempts: records.length, inputTokens, outputTokens, costUsd: cost, latencyMs };
}
