import { LlmError } from '../errors.ts';
import { toGeminiSchema } from '../schemas/adapt.ts';
import type { ChatAnswer, ChatProvider, ChatRequest, FetchLike, ProviderConfig, Usage } from '../types.ts';
import { callFor, cutOff, events, parsePayload, post, readJson, type Call, type Wire } from './shared.ts';

const method = (model: string, stream: boolean) =>
  `v1beta/models/${encodeURIComponent(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;

const wire: Wire = {
  defaultBase: 'https://generativelanguage.googleapis.com',
  directPath: method,
  proxyPath: method,
  keyHeaders: (key) => ({ 'x-goog-api-key': key }),
};

interface Response1 {
  candidates?: { content?: { parts?: { text?: string }[] }; finishReason?: string }[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number };
  error?: { message?: string };
}

const BLOCKED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'LANGUAGE']);

/** Applies one response record (the whole answer, or one streamed piece of it) to the running state. */
function take(call: Call, r: Response1, s: { text: string; reason?: string; usage: Usage }): void {
  if (r.error) throw new LlmError('http', `${call.label}: ${r.error.message ?? 'error'}`);
  if (r.promptFeedback?.blockReason) throw new LlmError('refused', `${call.label} declined the request (${r.promptFeedback.blockReason})`);
  const c = r.candidates?.[0];
  for (const p of c?.content?.parts ?? []) s.text += p.text ?? '';
  if (c?.finishReason) s.reason = c.finishReason;
  if (r.usageMetadata) s.usage = { inputTokens: r.usageMetadata.promptTokenCount ?? null, outputTokens: r.usageMetadata.candidatesTokenCount ?? null };
}

/**
 * Gemini generateContent (or streamGenerateContent with `alt=sse`, each event one GenerateContentResponse)
 * with `responseMimeType: application/json` and a `responseSchema` in Gemini's OpenAPI subset.
 */
export function geminiProvider(cfg: ProviderConfig, fetch: FetchLike): ChatProvider {
  const stream = cfg.stream ?? true;
  return {
    name: 'gemini',
    async complete(req: ChatRequest): Promise<ChatAnswer> {
      const call = callFor(cfg, wire, req.model, stream);
      const body = {
        systemInstruction: { parts: [{ text: req.system }] },
        contents: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
        generationConfig: { responseMimeType: 'application/json', responseSchema: toGeminiSchema(req.schema) },
      };
      const res = await post(call, body, req, fetch);
      const s: { text: string; reason?: string; usage: Usage } = { text: '', usage: { inputTokens: null, outputTokens: null } };
      if (!stream) take(call, await readJson<Response1>(res, call, req), s);
      else for await (const ev of events(res, call, req)) take(call, parsePayload<Response1>(ev.data, call), s);
      if (s.reason && BLOCKED.has(s.reason)) throw new LlmError('refused', `${call.label} declined to answer (${s.reason})`);
      if (s.reason === 'MAX_TOKENS') throw cutOff(call);
      return { text: s.text, usage: s.usage, streamed: stream };
    },
  };
}
