import { proxy, wrap } from 'comlink';
import type { GenerateInput, ProgressEvent } from '../../llm/pipeline.ts';
import type { LlmOutcome, LlmWorkerApi } from '../../llm/service.ts';
import type { ProviderConfig } from '../../llm/types.ts';
import type { StrategyDocumentInput } from '../../schema/index.ts';

/** The plain-English worker as the panel uses it; tests may pass their own. */
export interface LlmClient {
  generate(input: GenerateInput, config: ProviderConfig, current: StrategyDocumentInput | null, onProgress: (e: ProgressEvent) => void, signal: AbortSignal): Promise<LlmOutcome>;
}

/**
 * One worker per generation (model calls, validation and retries run off the page's thread; the UI may not
 * run src/llm itself). Cancel terminates it, which also drops its requests in flight.
 */
export const workerLlmClient: LlmClient = {
  async generate(input, config, current, onProgress, signal) {
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const worker = new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), { type: 'module', name: 'llm' });
    let onAbort = () => {};
    try {
      const api = wrap<LlmWorkerApi>(worker);
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new DOMException('cancelled', 'AbortError'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      return await Promise.race([api.generate(input, config, current, proxy(onProgress)), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      worker.terminate();
    }
  },
};
