import { diffDocuments, type DocumentDiff } from './diff.ts';
import { generateStrategy, type GenerateInput, type GenerateResult, type ProgressEvent } from './pipeline.ts';
import { DEFAULT_MODELS, withDefaultModels } from './defaults.ts';
import type { KnownData } from './checks.ts';
import type { ProviderConfig } from './types.ts';
import type { StrategyDocumentInput } from '../schema/index.ts';

/** A generation as the app sees it: the pipeline's result plus, on success, the diff against the current document. */
export type LlmOutcome = GenerateResult & { diff?: DocumentDiff };

/** What workers/llm.worker.ts exposes over Comlink. */
export interface LlmWorkerApi {
  /** `current`: the document a proposal would replace (the diff's left side; in edit mode also `input.base`). */
  generate(input: GenerateInput, config: ProviderConfig, current: StrategyDocumentInput | null, onProgress?: (e: ProgressEvent) => void): Promise<LlmOutcome>;
  defaults(): typeof DEFAULT_MODELS;
}

/**
 * The worker's service. `builtIn` is the data every device has (the embedded series), merged into what the
 * app's catalog reports, so a model may use them even before they are first stored.
 */
export function createLlmService(builtIn: KnownData): LlmWorkerApi {
  return {
    async generate(input, config, current, onProgress) {
      const timeframes: Record<string, string[]> = {};
      for (const k of [builtIn, input.known]) {
        for (const [s, tfs] of Object.entries(k.timeframes ?? {})) timeframes[s] = [...new Set([...(timeframes[s] ?? []), ...tfs])];
      }
      const known: KnownData = { symbols: [...new Set([...builtIn.symbols, ...input.known.symbols])].sort(), timeframes };
      const r = await generateStrategy({ ...input, known }, { config: withDefaultModels(config), onProgress });
      return r.ok ? { ...r, diff: diffDocuments(current, r.doc) } : r;
    },
    defaults: () => DEFAULT_MODELS,
  };
}
