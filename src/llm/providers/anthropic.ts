import { LlmError } from '../errors.ts';
import { toAnthropicInput } from '../schemas/adapt.ts';
import type { ChatAnswer, ChatProvider, ChatRequest, FetchLike, ProviderConfig, Usage } from '../types.ts';
import { callFor, cutOff, events, parsePayload, post, readJson, type Call, type Wire } from './shared.ts';

const wire: Wire = {
  defaultBase: 'https://api.anthropic.com',
  directPath: () => 'v1/messages',
  proxyPath: () => 'v1/messages',
  keyHeaders: (key) => ({ 'x-api-key': key }),
  fixedHeaders: { 'anthropic-version': '2023-06-01' },
  // Anthropic answers browser (CORS) calls only with this explicit opt-in; the key is the user's own.
  directHeaders: { 'anthropic-dangerous-direct-browser-access': 'true' },
};

const MAX_TOKENS = 8192;

type Block = { type: 'tool_use'; name: string; input: unknown } | { type: 'text'; text: string } | { type: string };
interface Message {
  content?: Block[];
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number };
}
interface StreamEvent {
  type: string;
  index?: number;
  message?: Message;
  content_block?: Block;
  delta?: { type?: string; partial_json?: string; text?: string; stop_reason?: string | null };
  usage?: { output_tokens?: number };
  error?: { type?: string; message?: string };
}

function check(call: Call, stop: string | null | undefined, text: string): void {
  if (stop === 'refusal') throw new LlmError('refused', `${call.label} declined${text ? `: ${text}` : ''}`);
  if (stop === 'max_tokens') throw cutOff(call);
}

/**
 * Anthropic Messages with one forced tool (`tool_choice: {type: "tool"}`): the tool's `input_schema` is the
 * answer's schema, and the tool call's `input` is the answer. Streaming assembles `input_json_delta` pieces.
 */
export function anthropicProvider(cfg: ProviderConfig, fetch: FetchLike): ChatProvider {
  const stream = cfg.stream ?? true;
  return {
    name: 'anthropic',
    async complete(req: ChatRequest): Promise<ChatAnswer> {
      const call = callFor(cfg, wire, req.model, stream);
      const body = {
        model: req.model,
        max_tokens: MAX_TOKENS,
        system: req.system,
        messages: req.messages,
        tools: [{ name: req.schemaName, description: 'Record the answer in this exact structure.', input_schema: toAnthropicInput(req.schema) }],
        tool_choice: { type: 'tool', name: req.schemaName },
        ...(stream ? { stream: true } : {}),
      };
      const res = await post(call, body, req, fetch);
      if (!stream) {
        const m = await readJson<Message>(res, call, req);
        const words = (m.content ?? []).filter((b): b is { type: 'text'; text: string } => b.type === 'text').map((b) => b.text).join(' ');
        check(call, m.stop_reason, words);
        const tool = (m.content ?? []).find((b): b is { type: 'tool_use'; name: string; input: unknown } => b.type === 'tool_use');
        if (!tool) throw new LlmError('protocol', `${call.label} answered without the ${req.schemaName} tool${words ? `: ${words.slice(0, 200)}` : ''}`);
        const usage: Usage = { inputTokens: m.usage?.input_tokens ?? null, outputTokens: m.usage?.output_tokens ?? null };
        return { text: JSON.stringify(tool.input), usage, streamed: false };
      }
      let toolIndex = -1;
      let json = '';
      let words = '';
      let stop: string | null | undefined;
      const usage: Usage = { inputTokens: null, outputTokens: null };
      for await (const ev of events(res, call, req)) {
        const e = parsePayload<StreamEvent>(ev.data, call);
        if (e.type === 'error') throw new LlmError('http', `${call.label}: ${e.error?.message ?? 'stream error'}`);
        if (e.type === 'message_start') usage.inputTokens = e.message?.usage?.input_tokens ?? null;
        else if (e.type === 'content_block_start' && e.content_block?.type === 'tool_use') toolIndex = e.index ?? 0;
        else if (e.type === 'content_block_delta' && e.delta?.type === 'input_json_delta' && e.index === toolIndex) json += e.delta.partial_json ?? '';
        else if (e.type === 'content_block_delta' && e.delta?.type === 'text_delta') words += e.delta.text ?? '';
        else if (e.type === 'message_delta') {
          stop = e.delta?.stop_reason ?? stop;
          if (e.usage?.output_tokens !== undefined) usage.outputTokens = e.usage.output_tokens;
        } else if (e.type === 'message_stop') break;
      }
      check(call, stop, words);
      if (toolIndex < 0) throw new LlmError('protocol', `${call.label} answered without the ${req.schemaName} tool${words ? `: ${words.slice(0, 200)}` : ''}`);
      return { text: json === '' ? '{}' : json, usage, streamed: true };
    },
  };
}
