import { LlmError } from '../errors.ts';
import { toOpenAiStrict } from '../schemas/adapt.ts';
import type { ChatAnswer, ChatProvider, ChatRequest, FetchLike, ProviderConfig, Usage } from '../types.ts';
import { callFor, cutOff, events, parsePayload, post, readJson, type Call, type Wire } from './shared.ts';

const wire: Wire = {
  defaultBase: 'https://api.openai.com/v1',
  directPath: () => 'chat/completions',
  proxyPath: () => 'v1/chat/completions',
  keyHeaders: (key) => ({ authorization: `Bearer ${key}` }),
};

interface Message {
  content?: string | null;
  refusal?: string | null;
}
interface Completion {
  choices?: { message?: Message; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}
interface Chunk {
  choices?: { delta?: Message; finish_reason?: string | null }[] | null;
  usage?: Completion['usage'];
  error?: { message?: string };
}

function usageOf(u: Completion['usage']): Usage {
  return { inputTokens: u?.prompt_tokens ?? null, outputTokens: u?.completion_tokens ?? null };
}

function finish(call: Call, content: string, refusal: string, reason: string | null | undefined, usage: Usage, streamed: boolean): ChatAnswer {
  if (refusal) throw new LlmError('refused', `${call.label} declined: ${refusal}`);
  if (reason === 'length') throw cutOff(call);
  if (reason === 'content_filter') throw new LlmError('refused', `${call.label}: the answer was withheld by the content filter`);
  return { text: content, usage, streamed };
}

/**
 * OpenAI Chat Completions with Structured Outputs (`response_format: json_schema`, strict), and any server
 * that speaks the same protocol. A refusal arrives in `message.refusal` (or `delta.refusal` when streaming),
 * never in the content.
 */
export function openAiProvider(cfg: ProviderConfig, fetch: FetchLike): ChatProvider {
  const stream = cfg.stream ?? true;
  return {
    name: 'openai',
    async complete(req: ChatRequest): Promise<ChatAnswer> {
      const call = callFor(cfg, wire, req.model, stream);
      const body = {
        model: req.model,
        messages: [{ role: 'system', content: req.system }, ...req.messages],
        response_format: { type: 'json_schema', json_schema: { name: req.schemaName, strict: true, schema: toOpenAiStrict(req.schema) } },
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      };
      const res = await post(call, body, req, fetch);
      if (!stream) {
        const j = await readJson<Completion>(res, call, req);
        const choice = j.choices?.[0];
        if (!choice?.message) throw new LlmError('protocol', `${call.label}: the answer has no choices`);
        return finish(call, choice.message.content ?? '', choice.message.refusal ?? '', choice.finish_reason, usageOf(j.usage), false);
      }
      let content = '';
      let refusal = '';
      let reason: string | null | undefined;
      let usage: Usage = { inputTokens: null, outputTokens: null };
      for await (const ev of events(res, call, req)) {
        if (ev.data === '[DONE]') break;
        const chunk = parsePayload<Chunk>(ev.data, call);
        if (chunk.error) throw new LlmError('http', `${call.label}: ${chunk.error.message ?? 'stream error'}`);
        const choice = chunk.choices?.[0];
        content += choice?.delta?.content ?? '';
        refusal += choice?.delta?.refusal ?? '';
        reason = choice?.finish_reason ?? reason;
        if (chunk.usage) usage = usageOf(chunk.usage);
      }
      return finish(call, content, refusal, reason, usage, true);
    },
  };
}
