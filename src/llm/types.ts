/** The providers behind one interface. "openai" also covers any OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM). */
export const PROVIDERS = ['openai', 'anthropic', 'gemini'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Where and how to call a model. The key stays on the device that holds this object; nothing here is ever logged. */
export interface ProviderConfig {
  provider: ProviderName;
  model: string;
  /** The stronger model a sub-task moves to after `maxAttempts` failures with `model`. */
  escalateModel?: string;
  /** Direct calls: the provider's API root (OpenAI-compatible servers: e.g. http://127.0.0.1:11434/v1). */
  baseUrl?: string;
  /** Optional for OpenAI-compatible local servers; never needed with a vault-mode proxy. */
  apiKey?: string;
  /** Call through the proxy's LLM route instead (URL = <proxy>/<provider>/<upstream path>). */
  proxy?: { url: string; token?: string } | null;
  /** Ask for a server-sent-event stream (default true). */
  stream?: boolean;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /** Attempts per model per sub-task before escalating (default 2). */
  maxAttempts?: number;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
}

/** One structured-output request: a system prompt, a conversation, and the (provider-adapted) schema of the answer. */
export interface ChatRequest {
  model: string;
  system: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  /** Name of the answer format / tool (letters, digits, _ and -). */
  schemaName: string;
  /** JSON Schema derived from zod (see schemas/derive.ts); each provider adapts it to its own subset. */
  schema: Record<string, unknown>;
  /** Called with the characters received so far while a stream arrives. */
  onDelta?: (received: number) => void;
  signal?: AbortSignal;
}

export interface ChatAnswer {
  /** The JSON text the model produced (not yet parsed: invalid JSON is a normal, retried outcome). */
  text: string;
  usage: Usage;
  streamed: boolean;
}

export interface ChatProvider {
  readonly name: ProviderName;
  complete(req: ChatRequest): Promise<ChatAnswer>;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
