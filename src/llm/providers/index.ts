import type { ChatProvider, FetchLike, ProviderConfig } from '../types.ts';
import { anthropicProvider } from './anthropic.ts';
import { geminiProvider } from './gemini.ts';
import { openAiProvider } from './openai.ts';

const bound: FetchLike = (input, init) => globalThis.fetch(input, init);

export function createProvider(cfg: ProviderConfig, fetch: FetchLike = bound): ChatProvider {
  switch (cfg.provider) {
    case 'openai':
      return openAiProvider(cfg, fetch);
    case 'anthropic':
      return anthropicProvider(cfg, fetch);
    case 'gemini':
      return geminiProvider(cfg, fetch);
  }
}
