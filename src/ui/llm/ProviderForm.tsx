import type { ProviderName } from '../../llm/types.ts';
import type { LlmSettings } from './store.ts';

const LABELS: Record<ProviderName, string> = { openai: 'OpenAI or OpenAI-compatible (Ollama, llama.cpp, LM Studio, vLLM)', anthropic: 'Anthropic', gemini: 'Google Gemini' };

export const EMPTY_SETTINGS: LlmSettings = { provider: 'openai', model: '', escalateModel: '', baseUrl: '', apiKey: '', viaProxy: false, stream: true };

/** What is still missing before a request can be sent, in words; null when ready. */
export function missing(s: LlmSettings | null, proxyUrl: string | null): string | null {
  if (!s) return 'No model provider is configured yet.';
  if (s.viaProxy) return proxyUrl ? null : '"Send through the proxy" is on, but no proxy is set on the Settings page.';
  if (s.provider === 'openai' && s.baseUrl) return s.model ? null : 'A local or compatible server needs the model name it serves (e.g. llama3.1).';
  return s.apiKey ? null : `${LABELS[s.provider]} needs an API key (or a base URL for a local server, or the proxy).`;
}

export function HowToConfigure() {
  return (
    <section aria-label="How to connect a language model" className="llm-howto">
      <p>To describe strategies in words, connect a language model. Any one of:</p>
      <ul>
        <li>OpenAI, Anthropic or Gemini: choose the provider below and paste your API key. It stays in this browser (IndexedDB) and is sent only to that provider.</li>
        <li>A local server, offline and free: run <code>OLLAMA_ORIGINS=* ollama serve</code> and <code>ollama pull llama3.1</code>, choose OpenAI-compatible, base URL <code>http://127.0.0.1:11434/v1</code>, model <code>llama3.1</code>, no key. LM Studio (<code>http://127.0.0.1:1234/v1</code>), llama.cpp&apos;s server and vLLM work the same way.</li>
        <li>Your proxy: set it on the Settings page (a vault-mode proxy holds the keys), then tick &quot;Send through the proxy&quot;.</li>
      </ul>
    </section>
  );
}

export interface ProviderFormProps {
  value: LlmSettings;
  onChange(s: LlmSettings): void;
  proxyUrl: string | null;
}

export function ProviderForm({ value: s, onChange, proxyUrl }: ProviderFormProps) {
  const set = (patch: Partial<LlmSettings>) => onChange({ ...s, ...patch });
  return (
    <div className="llm-provider">
      <label>
        Provider{' '}
        <select aria-label="Provider" value={s.provider} onChange={(e) => set({ provider: e.target.value as ProviderName })}>
          {(Object.keys(LABELS) as ProviderName[]).map((p) => <option key={p} value={p}>{LABELS[p]}</option>)}
        </select>
      </label>
      <label>
        Model <input aria-label="Model" value={s.model} placeholder="provider default" onChange={(e) => set({ model: e.target.value.trim() })} />
      </label>
      <label>
        Stronger model for retries <input aria-label="Escalation model" value={s.escalateModel} placeholder={s.model ? 'none' : 'provider default'} onChange={(e) => set({ escalateModel: e.target.value.trim() })} />
      </label>
      {s.provider === 'openai' && !s.viaProxy && (
        <label>
          Base URL <input aria-label="Base URL" value={s.baseUrl} placeholder="https://api.openai.com/v1" onChange={(e) => set({ baseUrl: e.target.value.trim() })} />
        </label>
      )}
      {!s.viaProxy && (
        <label>
          API key <input aria-label="API key" type="password" autoComplete="off" value={s.apiKey} onChange={(e) => set({ apiKey: e.target.value.trim() })} />
        </label>
      )}
      <label>
        <input type="checkbox" checked={s.viaProxy} disabled={!proxyUrl && !s.viaProxy} onChange={(e) => set({ viaProxy: e.target.checked })} />{' '}
        Send through the proxy{proxyUrl ? ` (${proxyUrl})` : ' (set one on the Settings page first)'}
      </label>
      <label>
        <input type="checkbox" checked={s.stream} onChange={(e) => set({ stream: e.target.checked })} /> Stream answers
      </label>
    </div>
  );
}
