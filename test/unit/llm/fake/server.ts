/**
 * Scripted fake LLM providers on 127.0.0.1 (port 0), speaking the real wire formats: OpenAI Chat Completions
 * (JSON and SSE chunks, `[DONE]`), Anthropic Messages (tool_use; SSE events message_start …
 * content_block_delta/input_json_delta … message_stop) and Gemini generateContent / streamGenerateContent
 * (`alt=sse`). Whether to stream is the client's choice, as with the real services.
 *
 * A script is a queue of replies per task: "outline", "condition:<rule id>", "action:<rule id>" (or just
 * "condition"/"action"). The task is read from the request itself (the schema's root property and the rule
 * id in the prompt), because sub-tasks arrive in parallel in any order. Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { json: unknown; delayMs?: number }
  | { raw: string; delayMs?: number }
  | { refusal: string; delayMs?: number }
  | { status: number; message: string; delayMs?: number };

export interface Recorded {
  provider: 'openai' | 'anthropic' | 'gemini';
  task: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** All the text the model was sent (system + messages), for asserting what reached it. */
  prompt: string;
  stream: boolean;
  start: number;
  end: number;
}

export interface FakeProviders {
  url: string;
  requests: Recorded[];
  /** Highest number of requests in flight at once. */
  maxConcurrent: number;
  script(s: Record<string, Reply[]>): void;
  /** The key the fake insists on (401 otherwise, with the wrong key echoed back like real providers do). */
  requireKey(key: string | null): void;
  close(): Promise<void>;
}

function taskOf(schema: unknown, prompt: string): string {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const kind = 'condition' in props ? 'condition' : 'action' in props ? 'action' : 'outline';
  if (kind === 'outline') return kind;
  const m = /\(id ([A-Za-z0-9_-]+)\)/.exec(prompt);
  return m ? `${kind}:${m[1]}` : kind;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const pieces = (s: string, n = 3): string[] => {
  const size = Math.max(1, Math.ceil(s.length / n));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out.length ? out : [''];
};

const USAGE = { input: 1200, output: 300 };

function sse(res: ServerResponse, events: { event?: string; data: unknown }[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
  res.end();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function openai(res: ServerResponse, r: Reply, stream: boolean, model: string): void {
  const text = 'json' in r ? JSON.stringify(r.json) : 'raw' in r ? r.raw : null;
  const refusal = 'refusal' in r ? r.refusal : null;
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output };
  if (!stream) {
    json(res, 200, {
      id: 'chatcmpl-fake', object: 'chat.completion', created: 1, model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal }, finish_reason: 'stop' }], usage,
    });
    return;
  }
  const chunk = (delta: unknown, finish: string | null) => ({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const body = refusal !== null ? pieces(refusal).map((p) => chunk({ refusal: p }, null)) : pieces(text ?? '').map((p) => chunk({ content: p }, null));
  sse(res, [
    { data: chunk({ role: 'assistant', content: '' }, null) },
    ...body.map((data) => ({ data })),
    { data: chunk({}, 'stop') },
    { data: { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [], usage } },
    { data: '[DONE]' },
  ]);
}

function anthropic(res: ServerResponse, r: Reply, stream: boolean, model: string, tool: string): void {
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', model };
  if ('refusal' in r) {
    if (!stream) {
      json(res, 200, { ...message, content: [{ type: 'text', text: r.refusal }], stop_reason: 'refusal', usage: { input_tokens: USAGE.input, output_tokens: 5 } });
      return;
    }
    sse(res, [
      { event: 'message_start', data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: USAGE.input, output_tokens: 1 } } } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: r.refusal } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null }, usage: { output_tokens: 5 } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
    return;
  }
  const text = 'json' in r ? JSON.stringify(r.json) : 'raw' in r ? r.raw : '';
  if (!stream) {
    // A tool call's input is always an object on this wire; "raw" text cannot be sent unstreamed.
    const input = 'json' in r ? r.json : {};
    json(res, 200, { ...message, content: [{ type: 'tool_use', id: 'toolu_fake', name: tool, input }], stop_reason: 'tool_use', usage: { input_tokens: USAGE.input, output_tokens: USAGE.output } });
    return;
  }
  sse(res, [
    { event: 'message_start', data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: USAGE.input, output_tokens: 1 } } } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_fake', name: tool, input: {} } } },
    { event: 'ping', data: { type: 'ping' } },
    ...pieces(text).map((p) => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: p } } })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: USAGE.output } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ]);
}

function gemini(res: ServerResponse, r: Reply, stream: boolean, model: string): void {
  const usageMetadata = { promptTokenCount: USAGE.input, candidatesTokenCount: USAGE.output, totalTokenCount: USAGE.input + USAGE.output };
  if ('refusal' in r) {
    const body = { candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' }] }], usageMetadata, modelVersion: model };
    if (stream) sse(res, [{ data: body }]);
    else json(res, 200, body);
    return;
  }
  const text = 'json' in r ? JSON.stringify(r.json) : 'raw' in r ? r.raw : '';
  const record = (t: string, finish?: string) => ({
    candidates: [{ content: { parts: [{ text: t }], role: 'model' }, index: 0, ...(finish ? { finishReason: finish } : {}) }],
    ...(finish ? { usageMetadata } : {}), modelVersion: model,
  });
  if (!stream) {
    json(res, 200, record(text, 'STOP'));
    return;
  }
  const ps = pieces(text);
  sse(res, ps.map((p, i) => ({ data: record(p, i === ps.length - 1 ? 'STOP' : undefined) })));
}

/** Starts the fake; it closes itself after `lifetimeMs` even if a test forgets to. */
export async function startFakeProviders(lifetimeMs = 300_000): Promise<FakeProviders> {
  let scripts: Record<string, Reply[]> = {};
  let key: string | null = null;
  let inFlight = 0;
  const state: { requests: Recorded[]; maxConcurrent: number } = { requests: [], maxConcurrent: 0 };
  const t0 = performance.now();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-max-age': '600' });
      res.end();
      return;
    }
    if (req.method === 'POST' && req.url === '/__script') {
      const b = JSON.parse(await readBody(req)) as { script: Record<string, Reply[]>; key?: string | null };
      scripts = b.script;
      key = b.key ?? null;
      state.requests.length = 0;
      state.maxConcurrent = 0;
      json(res, 200, { ok: true });
      return;
    }
    if (req.method === 'GET' && req.url === '/__log') {
      json(res, 200, { requests: state.requests, maxConcurrent: state.maxConcurrent });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/(openai|anthropic|gemini)(?=\/v1)/, '');
    const provider = path.endsWith('/chat/completions') ? 'openai' : path.endsWith('/v1/messages') ? 'anthropic' : /:(stream)?[gG]enerateContent$/.test(path) ? 'gemini' : null;
    if (req.method !== 'POST' || !provider) {
      json(res, 404, { error: { message: `fake: no route ${req.method} ${req.url}` } });
      return;
    }
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    const start = performance.now() - t0;
    try {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      let schema: unknown;
      let prompt: string;
      let stream: boolean;
      let model: string;
      let tool = '';
      if (provider === 'openai') {
        schema = (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema;
        prompt = (body.messages as { content: string }[]).map((m) => m.content).join('\n');
        stream = body.stream === true;
        model = String(body.model);
      } else if (provider === 'anthropic') {
        const tools = body.tools as { name: string; input_schema: unknown }[];
        schema = tools?.[0]?.input_schema;
        tool = tools?.[0]?.name ?? '';
        prompt = [String(body.system), ...(body.messages as { content: string }[]).map((m) => m.content)].join('\n');
        stream = body.stream === true;
        model = String(body.model);
      } else {
        schema = (body.generationConfig as { responseSchema?: unknown } | undefined)?.responseSchema;
        const sys = (body.systemInstruction as { parts: { text: string }[] } | undefined)?.parts.map((p) => p.text).join('\n') ?? '';
        prompt = [sys, ...(body.contents as { parts: { text: string }[] }[]).flatMap((c) => c.parts.map((p) => p.text))].join('\n');
        stream = path.includes(':streamGenerateContent') && url.searchParams.get('alt') === 'sse';
        model = decodeURIComponent(/models\/([^:]+):/.exec(path)?.[1] ?? '');
      }
      const task = taskOf(schema, prompt);
      const rec: Recorded = { provider, task, path: req.url ?? '', headers: req.headers, body, prompt, stream, start, end: start };
      state.requests.push(rec);
      const sent = provider === 'openai' ? String(req.headers.authorization ?? '').replace(/^Bearer /, '') : provider === 'anthropic' ? req.headers['x-api-key'] : req.headers['x-goog-api-key'];
      const queue = scripts[task] ?? scripts[task.split(':')[0]!];
      const reply: Reply = key !== null && sent !== key
        ? { status: 401, message: `Incorrect API key provided: ${String(sent)}` }
        : queue?.shift() ?? { status: 500, message: `fake: nothing scripted for ${task}` };
      if (reply.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, reply.delayMs);
          res.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (res.destroyed || res.writableEnded) return;
      }
      rec.end = performance.now() - t0;
      if ('status' in reply) json(res, reply.status, { error: { type: 'fake_error', code: reply.status, message: reply.message } });
      else if (provider === 'openai') openai(res, reply, stream, model);
      else if (provider === 'anthropic') anthropic(res, reply, stream, model, tool);
      else gemini(res, reply, stream, model);
    } finally {
      inFlight--;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: `fake: ${String(e)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const timer = setTimeout(() => void close(), lifetimeMs);
  timer.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    script(s) {
      scripts = structuredClone(s);
      state.requests.length = 0;
      state.maxConcurrent = 0;
    },
    requireKey(k) {
      key = k;
    },
    close: async () => {
      clearTimeout(timer);
      await close();
    },
  };
}
