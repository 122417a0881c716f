import type { ProviderConfig, ProviderName } from './types.ts';

/**
 * Models a provider uses when the user names none: a fast, cheap one first and a stronger one to escalate to.
 * An OpenAI-compatible local server has its own model names; the user picks one (e.g. "llama3.1").
 */
export const DEFAULT_MODELS: Record<ProviderName, { model: string; escalateModel: string }> = {
  openai: { model: 'gpt-4o-mini', escalateModel: 'gpt-4o' },
  anthropic: { model: 'claude-3-5-haiku-latest', escalateModel: 'claude-sonnet-4-0' },
  gemini: { model: 'gemini-2.0-flash', escalateModel: 'gemini-2.5-pro' },
};

/** Where each provider's key comes from in the CLI. */
export const KEY_ENV: Record<ProviderName, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY', gemini: 'GEMINI_API_KEY' };

/**
 * Fills in the provider's default models when the config names none (an empty model means "the default").
 * A model chosen by hand escalates only to a model chosen by hand.
 */
export function withDefaultModels(cfg: ProviderConfig): ProviderConfig {
  const d = DEFAULT_MODELS[cfg.provider];
  if (cfg.model) return { ...cfg, escalateModel: cfg.escalateModel || undefined };
  return { ...cfg, model: d.model, escalateModel: cfg.escalateModel || d.escalateModel };
}
