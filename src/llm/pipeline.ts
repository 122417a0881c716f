import type { z } from 'zod';
import { errorsToText, formatZodError, parseDocument, type Action, type Condition, type SchemaError, type StrategyDocument, type StrategyDocumentInput } from '../schema/index.ts';
import { assemble } from './assemble.ts';
import type { AttemptRecord } from './attempts.ts';
import { semanticChecks, type KnownData } from './checks.ts';
import { LlmError, redact } from './errors.ts';
import { explainDocument } from './explain.ts';
import { estimateCost } from './prices.ts';
import { fixUser, outlineSystem, outlineUser, treeSystem, treeUser } from './prompts.ts';
import { createProvider } from './providers/index.ts';
import { fromAnswer } from './schemas/adapt.ts';
import { SCHEMA_NAMES, TASK_SCHEMAS, taskJsonSchema, type Outline, type TaskKind } from './schemas/derive.ts';
import type { ChatProvider, FetchLike, ProviderConfig } from './types.ts';

export interface GenerateInput {
  /** The request in plain English. */
  text: string;
  /** Edit mode: the document the request changes. */
  base?: StrategyDocumentInput;
  known: KnownData;
}

export type TaskState = 'waiting' | 'running' | 'retrying' | 'done' | 'failed';

export type ProgressEvent =
  | { type: 'task'; task: string; label: string; state: TaskState; model: string; attempt: number; escalated: boolean; received?: number }
  | { type: 'attempt'; record: AttemptRecord };

export interface GenerateOptions {
  config: ProviderConfig;
  fetch?: FetchLike;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Milliseconds, for latencies (default performance.now). */
  now?: () => number;
  /** Epoch ms, for the log's start times (default Date.now via the wall clock). */
  wallTime?: () => number;
}

export type GenerateResult =
  | {
      ok: true;
      /** The validated document (defaults filled in): what runs, and what the explanation describes. */
      doc: StrategyDocument;
      /** The same document as assembled, before defaults: what an editor shows, so an edit's diff stays small. */
      document: StrategyDocumentInput;
      warnings: SchemaError[];
      explanation: string[];
      unsupported: string[];
      attempts: AttemptRecord[];
    }
  | { ok: false; error: string; errors: SchemaError[]; unsupported: string[]; attempts: AttemptRecord[] };

const TEXT_LIMIT = 4000;

/** A failure that ends the whole run (no attempt or model can help): refusal, bad key, cancel, budget spent. */
class Stop extends Error {}

interface Task {
  id: string;
  kind: TaskKind;
  label: string;
  /** Index of the strategy in the outline (trees only). */
  index: number;
  messages: { role: 'user' | 'assistant'; content: string }[];
  system: string;
  modelIndex: number;
  tries: number;
  last?: AttemptRecord;
  value?: unknown;
}

/**
 * Plain English → a validated strategy document.
 *
 * 1. The outline (settings, parameters, and per rule its intent in words) comes from one request.
 * 2. Each rule's condition and action come from focused requests that run in parallel.
 * 3. The assembled document must pass zod (parseDocument) and the semantic checks.
 * 4. A failure goes back to the sub-task it belongs to, with the exact error text, up to `maxAttempts` times
 *    per model, then to the stronger `escalateModel`; when that fails too, the result says what could not be
 *    expressed. Every request is an AttemptRecord (size, latency, tokens, cost estimate).
 */
export async function generateStrategy(input: GenerateInput, o: GenerateOptions): Promise<GenerateResult> {
  const cfg = o.config;
  const now = o.now ?? (() => performance.now());
  const wall = o.wallTime ?? (() => performance.timeOrigin + performance.now());
  const models = [...new Set([cfg.model, cfg.escalateModel].filter((m): m is string => !!m))];
  const maxAttempts = Math.max(1, cfg.maxAttempts ?? 2);
  const provider: ChatProvider = createProvider(cfg, o.fetch);
  const local = cfg.provider === 'openai' && !!cfg.baseUrl && !cfg.apiKey && !cfg.proxy;
  const secrets = [cfg.apiKey, cfg.proxy?.token];
  const attempts: AttemptRecord[] = [];
  const schemas = { outline: taskJsonSchema('outline'), condition: taskJsonSchema('condition'), action: taskJsonSchema('action') };
  const text = input.text.trim().slice(0, TEXT_LIMIT);
  const editing = input.base !== undefined;
  let unsupported: string[] = [];

  if (!text) return { ok: false, error: 'Describe the strategy (or the change) in words first.', errors: [], unsupported, attempts };
  if (models.length === 0) return { ok: false, error: 'No model is configured.', errors: [], unsupported, attempts };

  const emit = (t: Task, state: TaskState, received?: number) =>
    o.onProgress?.({ type: 'task', task: t.id, label: t.label, state, model: models[Math.min(t.modelIndex, models.length - 1)]!, attempt: t.tries + 1, escalated: t.modelIndex > 0, received });

  /** Counts a failed try; moves to the next model when this one's budget is spent. */
  const fail = (t: Task, answer: string, errors: string): void => {
    t.messages = [...t.messages, { role: 'assistant', content: answer || '(empty answer)' }, { role: 'user', content: fixUser(errors) }];
    t.tries++;
    if (t.tries >= maxAttempts) {
      t.modelIndex++;
      t.tries = 0;
    }
  };

  /** Asks until the answer parses and has the task's shape; throws Stop when the budget is spent. */
  const solve = async (t: Task): Promise<unknown> => {
    let lastError = '';
    while (t.modelIndex < models.length) {
      const model = models[t.modelIndex]!;
      emit(t, t.tries > 0 || t.modelIndex > 0 ? 'retrying' : 'running');
      const started = now();
      const rec: AttemptRecord = {
        task: t.id, provider: cfg.provider, model, attempt: t.tries + 1, escalated: t.modelIndex > 0,
        promptChars: t.system.length + t.messages.reduce((n, m) => n + m.content.length, 0) + JSON.stringify(schemas[t.kind]).length,
        inputTokens: null, outputTokens: null, latencyMs: 0, costUsd: null, outcome: 'ok', streamed: cfg.stream ?? true, startedAt: wall(),
      };
      const log = () => {
        rec.latencyMs = Math.round(now() - started);
        attempts.push(rec);
        t.last = rec;
        o.onProgress?.({ type: 'attempt', record: rec });
      };
      let answer = '';
      try {
        const a = await provider.complete({
          model, system: t.system, messages: t.messages, schemaName: SCHEMA_NAMES[t.kind], schema: schemas[t.kind], signal: o.signal,
          onDelta: (n) => emit(t, 'running', n),
        });
        answer = a.text;
        rec.inputTokens = a.usage.inputTokens;
        rec.outputTokens = a.usage.outputTokens;
        rec.streamed = a.streamed;
        rec.costUsd = estimateCost(model, a.usage.inputTokens, a.usage.outputTokens, local);
      } catch (e) {
        const err = e instanceof LlmError ? e : new LlmError('network', redact(String(e), secrets));
        rec.outcome = err.kind === 'timeout' ? 'timeout' : err.kind === 'refused' ? 'refused' : err.kind === 'aborted' ? 'cancelled' : 'error';
        rec.error = redact(err.message, secrets);
        log();
        if (!err.retry) {
          emit(t, 'failed');
          throw new Stop(rec.error);
        }
        lastError = rec.error;
        // Transport failures are retried with the same conversation: the model never saw an answer to fix.
        t.tries++;
        if (t.tries >= maxAttempts) {
          t.modelIndex++;
          t.tries = 0;
        }
        continue;
      }
      let value: unknown;
      try {
        value = fromAnswer(JSON.parse(answer));
      } catch (e) {
        rec.outcome = 'invalid-json';
        rec.error = `the answer is not valid JSON (${(e as Error).message})`;
        log();
        lastError = rec.error;
        fail(t, answer, rec.error);
        continue;
      }
      const shape = (TASK_SCHEMAS[t.kind] as z.ZodType).safeParse(value);
      if (!shape.success) {
        const prefix = t.kind === 'outline' ? '' : `strategies[${t.index}].`;
        rec.outcome = 'invalid';
        rec.error = errorsToText(formatZodError(shape.error).map((er) => ({ ...er, path: prefix + er.path })));
        log();
        lastError = rec.error;
        fail(t, answer, rec.error);
        continue;
      }
      log();
      // The answer as written, not zod's output: defaults stay implicit, so an edit's diff shows only the edit.
      t.value = value;
      t.messages = [...t.messages, { role: 'assistant', content: answer }];
      emit(t, 'done');
      return value;
    }
    emit(t, 'failed');
    throw new Stop(`${t.label}: ${lastError || 'no valid answer'}`);
  };

  const outlineTask: Task = {
    id: 'outline', kind: 'outline', label: 'Outline (settings, parameters, rules)', index: -1, modelIndex: 0, tries: 0,
    system: outlineSystem(input.known, editing), messages: [{ role: 'user', content: outlineUser(text, input.base) }],
  };
  const trees = new Map<string, Task>();
  const baseById = new Map((input.base?.strategies ?? []).map((s) => [s.id, s]));

  /** The tree sub-tasks the current outline needs: new ones start fresh, unchanged ones keep their answer. */
  const treeTasks = (outline: Outline): Task[] => {
    const out: Task[] = [];
    outline.strategies.forEach((s, i) => {
      const old = baseById.get(s.id);
      const edit = old ? (s.edit ?? 'both') : 'both';
      for (const kind of ['condition', 'action'] as const) {
        if (kind === 'condition' && s.when === undefined) continue;
        if (old && edit !== 'both' && edit !== kind) continue;
        const key = `${kind}:${s.id}:${s.when ?? ''}:${s.then}:${i}`;
        let t = trees.get(key);
        if (!t) {
          const current = old ? (kind === 'condition' ? old.condition : old.action) : undefined;
          t = {
            id: `${kind}:${s.id}`, kind, index: i, label: `${kind === 'condition' ? 'Condition' : 'Action'} of "${s.name}"`, modelIndex: 0, tries: 0,
            system: treeSystem(kind, input.known), messages: [{ role: 'user', content: treeUser(kind, text, outline, i, current) }],
          };
          trees.set(key, t);
        }
        out.push(t);
      }
    });
    return out;
  };

  const owner = (path: string, tasks: Task[]): Task => {
    const m = /^strategies\[(\d+)\]\.(condition|action)/.exec(path);
    if (m) {
      const t = tasks.find((x) => x.index === Number(m[1]) && x.kind === m[2]);
      if (t) return t;
    }
    return outlineTask;
  };

  let lastErrors: SchemaError[] = [];
  try {
    let outline = (await solve(outlineTask)) as Outline;
    unsupported = outline.unsupported;
    let tasks = treeTasks(outline);
    await Promise.all(tasks.filter((t) => t.value === undefined).map(solve));
    // Each round fixes at least one try of some task's budget, so this ends; the bound is a backstop.
    for (let round = 0; round < 4 * maxAttempts * models.length + 4; round++) {
      const conditions: (Condition | undefined)[] = [];
      const actions: Action[] = [];
      outline.strategies.forEach((s, i) => {
        const old = baseById.get(s.id);
        const c = tasks.find((t) => t.index === i && t.kind === 'condition');
        const a = tasks.find((t) => t.index === i && t.kind === 'action');
        const kept = old && (s.edit === 'keep' || s.edit === 'action') ? (old.condition as Condition | undefined) : undefined;
        conditions.push(c ? (c.value as { condition: Condition }).condition : kept);
        actions.push(a ? (a.value as { action: Action }).action : (old!.action as Action));
      });
      const draft = assemble(outline, conditions, actions, input.base);
      const parsed = parseDocument(draft);
      const errors = parsed.ok ? semanticChecks(parsed.doc, input.known).errors : parsed.errors;
      if (parsed.ok && errors.length === 0) {
        const warnings = [...parsed.warnings, ...semanticChecks(parsed.doc, input.known).warnings];
        return { ok: true, doc: parsed.doc, document: draft, warnings, explanation: explainDocument(parsed.doc), unsupported, attempts };
      }
      lastErrors = errors;
      const byTask = new Map<Task, SchemaError[]>();
      for (const e of errors) {
        const t = owner(e.path, tasks);
        byTask.set(t, [...(byTask.get(t) ?? []), e]);
      }
      for (const [t, errs] of byTask) {
        const msg = errorsToText(errs);
        if (t.last) {
          t.last.outcome = 'invalid';
          t.last.error = msg;
        }
        const answered = t.messages[t.messages.length - 1];
        t.messages = t.messages.slice(0, -1);
        fail(t, answered?.role === 'assistant' ? answered.content : '', msg);
        t.value = undefined;
      }
      if (byTask.has(outlineTask)) {
        outline = (await solve(outlineTask)) as Outline;
        unsupported = outline.unsupported;
        tasks = treeTasks(outline);
      }
      await Promise.all(tasks.filter((t) => t.value === undefined).map(solve));
    }
    throw new Stop('the answers kept failing validation');
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const lines = [`Could not build a valid strategy: ${redact(e.message, secrets)}`];
    if (lastErrors.length) lines.push('Problems in the last attempt:', ...lastErrors.map((er) => `  ${er.path}: ${er.message}`));
    if (unsupported.length) lines.push('Not expressible in this grammar:', ...unsupported.map((u) => `  ${u}`));
    return { ok: false, error: lines.join('\n'), errors: lastErrors, unsupported, attempts };
  }
}
