import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStrategy, type GenerateOptions } from '../../../src/llm/pipeline.ts';
import type { ProviderConfig, ProviderName } from '../../../src/llm/types.ts';
import { parseDocument } from '../../../src/schema/index.ts';
import { startFakeProviders, type FakeProviders } from './fake/server.ts';
import { scriptFor, template } from './script.ts';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());

const KEY = 'sk-test-0123456789abcdef';
const MODELS: Record<ProviderName, [string, string]> = {
  openai: ['gpt-4o-mini', 'gpt-4o'],
  anthropic: ['claude-3-5-haiku-latest', 'claude-sonnet-4-20250514'],
  gemini: ['gemini-2.0-flash', 'gemini-2.5-pro'],
};
const known = { symbols: ['SPY', 'SPX', 'AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT'] };
const SMA = template('sma-cross.json');
const expected = () => {
  const p = parseDocument(SMA);
  if (!p.ok) throw new Error('template invalid');
  return p.doc;
};

function options(provider: ProviderName, stream: boolean, extra: Partial<ProviderConfig> = {}): GenerateOptions {
  const [model, escalateModel] = MODELS[provider];
  const base = provider === 'openai' ? `${fake.url}/v1` : fake.url;
  return { config: { provider, model, escalateModel, baseUrl: base, apiKey: KEY, stream, timeoutMs: 5000, ...extra } };
}

const cases: [ProviderName, boolean][] = [['openai', true], ['openai', false], ['anthropic', true], ['anthropic', false], ['gemini', true], ['gemini', false]];

describe.each(cases)('%s (stream %s) against its fake', (provider, stream) => {
  it('valid on the first try: the document, its explanation, and one logged attempt per sub-task', async () => {
    fake.script(scriptFor(SMA));
    const r = await generateStrategy({ text: 'SMA 10/20 crossover on SPY, long and short', known }, options(provider, stream));
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    if (!r.ok) return;
    expect(r.doc).toEqual(expected());
    expect(r.explanation.join('\n')).toContain('Rule "Go long on golden cross": when SMA(fast bars) crosses above SMA(slow bars), set SPX to weight 1.'); // the template trades SPX (issue 16)
    expect(fake.requests.map((q) => q.task).sort()).toEqual(['action:long', 'action:short', 'condition:long', 'condition:short', 'outline']);
    expect(fake.requests.every((q) => q.stream === stream && q.provider === provider)).toBe(true);
    expect(r.attempts).toHaveLength(5);
    for (const a of r.attempts) {
      expect(a).toMatchObject({ outcome: 'ok', provider, model: MODELS[provider][0], inputTokens: 1200, outputTokens: 300, escalated: false, streamed: stream });
      expect(a.promptChars).toBeGreaterThan(1000);
      expect(a.latencyMs).toBeGreaterThanOrEqual(0);
      expect(a.costUsd).toBeGreaterThan(0);
    }
    expect(JSON.stringify(r.attempts)).not.toContain(KEY);
  });

  it('invalid JSON, then valid: the parse error goes back to the model', async () => {
    if (provider === 'anthropic' && !stream) return; // an unstreamed tool call's input is always a JSON object
    const s = scriptFor(SMA);
    s.outline!.unshift({ raw: '{"name": "SMA cross", "settings": {' });
    fake.script(s);
    const r = await generateStrategy({ text: 'SMA crossover on SPY', known }, options(provider, stream));
    expect(r.ok).toBe(true);
    const outlines = fake.requests.filter((q) => q.task === 'outline');
    expect(outlines).toHaveLength(2);
    expect(outlines[1]!.prompt).toContain('the answer is not valid JSON');
    expect(r.attempts.filter((a) => a.task === 'outline').map((a) => a.outcome)).toEqual(['invalid-json', 'ok']);
  });
});

describe('validation, retry and escalation (OpenAI-compatible wire)', () => {
  it('schema-valid but unknown symbol, then fixed after the exact error text was sent back', async () => {
    const s = scriptFor(SMA);
    const wrong = structuredClone(s.outline![0]!) as { json: { settings: { universe: string[] } } };
    wrong.json.settings.universe = ['XYZ'];
    s.outline!.unshift(wrong);
    // The trees of the first outline are asked for before the symbol check fails; they stay valid.
    fake.script(s);
    const r = await generateStrategy({ text: 'SMA crossover on XYZ', known }, options('openai', true));
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    const outlines = fake.requests.filter((q) => q.task === 'outline');
    expect(outlines).toHaveLength(2);
    expect(outlines[1]!.prompt).toContain('settings.universe[0]: unknown symbol "XYZ": no stored or embedded data has it; use one of AAPL, AMZN, GOOG, IBM, MSFT, SPX, SPY');
    expect(r.ok && r.doc.settings.universe).toEqual(['SPX']);
  });

  it('two failures, then escalation to the stronger model', async () => {
    const s = scriptFor(SMA);
    const bad = { json: { condition: { lhs: { kind: 'sma', window: { bars: 0 } }, op: 'crossesAbove', rhs: 1 } } };
    s['condition:long']!.unshift(bad, bad);
    fake.script(s);
    const r = await generateStrategy({ text: 'SMA crossover', known }, options('openai', false));
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    const tries = fake.requests.filter((q) => q.task === 'condition:long');
    expect(tries.map((q) => q.body.model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o']);
    expect(tries[1]!.prompt).toContain('strategies[0].condition.lhs.window.bars: expected a number > 0');
    expect(r.attempts.filter((a) => a.task === 'condition:long').map((a) => [a.outcome, a.escalated])).toEqual([['invalid', false], ['invalid', false], ['ok', true]]);
  });

  it('fails with what could not be expressed when the stronger model fails too', async () => {
    const s = scriptFor(SMA);
    const bad = { json: { condition: { lhs: { kind: 'sma', window: { bars: 0 } }, op: 'crossesAbove', rhs: 1 } } };
    s['condition:long'] = [bad, bad, bad, bad];
    (s.outline![0] as { json: { unsupported: string[] } }).json.unsupported = ['options on the VIX'];
    fake.script(s);
    const r = await generateStrategy({ text: 'SMA crossover and VIX options', known }, options('openai', true));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain('Condition of "Go long on golden cross"');
    expect(r.error).toContain('expected a number > 0');
    expect(r.error).toContain('options on the VIX');
    expect(fake.requests.filter((q) => q.task === 'condition:long')).toHaveLength(4);
  });

  it('a timeout is reported as one, in words, and bounded', async () => {
    fake.script({ outline: [{ json: {}, delayMs: 3000 }] });
    const r = await generateStrategy({ text: 'anything', known }, options('openai', true, { timeoutMs: 200, maxAttempts: 1, escalateModel: undefined }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('openai gpt-4o-mini: no answer within 0.2 s');
    expect(r.attempts.map((a) => a.outcome)).toEqual(['timeout']);
  });

  it.each(['openai', 'anthropic', 'gemini'] as const)('%s: a refusal ends the run at once with the reason', async (provider) => {
    fake.script({ outline: [{ refusal: 'I cannot help with market manipulation.' }] });
    const r = await generateStrategy({ text: 'pump and dump', known }, options(provider, true));
    expect(r.ok).toBe(false);
    expect(fake.requests).toHaveLength(1);
    expect(r.attempts[0]!.outcome).toBe('refused');
    if (provider !== 'gemini') expect(!r.ok && r.error).toContain('I cannot help with market manipulation.');
    else expect(!r.ok && r.error).toContain('SAFETY');
  });

  it('sub-tasks really run concurrently', async () => {
    const s = scriptFor(SMA);
    for (const k of Object.keys(s)) if (k !== 'outline') s[k]![0]!.delayMs = 300;
    fake.script(s);
    const r = await generateStrategy({ text: 'SMA crossover', known }, options('anthropic', true));
    expect(r.ok).toBe(true);
    expect(fake.maxConcurrent).toBe(4);
    const trees = fake.requests.filter((q) => q.task !== 'outline');
    const lastStart = Math.max(...trees.map((q) => q.start));
    const firstEnd = Math.min(...trees.map((q) => q.end));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it('a wrong key: the error says so and never contains the key, even when the server echoes it', async () => {
    fake.script(scriptFor(SMA));
    fake.requireKey('sk-the-right-one');
    try {
      const r = await generateStrategy({ text: 'SMA crossover', known }, options('openai', false));
      expect(r.ok).toBe(false);
      expect(fake.requests).toHaveLength(1);
      const all = JSON.stringify(r);
      expect(all).not.toContain(KEY);
      expect(all).toContain('HTTP 401: check the API key');
      expect(all).toContain('[redacted]');
    } finally {
      fake.requireKey(null);
    }
  });

  it.each(['openai', 'anthropic', 'gemini'] as const)('%s through the proxy route with a vault token: only the token travels', async (provider) => {
    fake.script(scriptFor(SMA));
    const r = await generateStrategy({ text: 'SMA crossover', known }, options(provider, true, { proxy: { url: `${fake.url}/`, token: 'vault-token-123' } }));
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    const q = fake.requests[0]!;
    const path = { openai: '/openai/v1/chat/completions', anthropic: '/anthropic/v1/messages', gemini: `/gemini/v1beta/models/${MODELS.gemini[0]}:streamGenerateContent?alt=sse` }[provider];
    expect(q.path).toBe(path);
    expect(q.headers.authorization).toBe('Bearer vault-token-123');
    expect(JSON.stringify(q.headers)).not.toContain(KEY);
  });

  it('edit mode changes only what the request touches, and asks only for that sub-task', async () => {
    const s = scriptFor(SMA);
    const outline = (s.outline![0] as { json: { strategies: { edit?: string; when?: string }[]; parameters: { name: string; parameter: { default: number } }[] } }).json;
    outline.strategies[0]!.edit = 'condition';
    outline.strategies[0]!.when = 'fast SMA crosses above the 50-bar SMA';
    outline.strategies[1]!.edit = 'keep';
    s['condition:long'] = [{ json: { condition: { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: 'crossesAbove', rhs: { kind: 'sma', window: { bars: 50 } } } } }];
    fake.script(s);
    const r = await generateStrategy({ text: 'make the slow average of the long rule 50 bars', base: SMA, known }, options('gemini', true));
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    if (!r.ok) return;
    expect(fake.requests.map((q) => q.task).sort()).toEqual(['condition:long', 'outline']);
    expect(fake.requests[0]!.prompt).toContain('Current document:');
    const want = expected();
    (want.strategies[0]!.condition as { rhs: unknown }).rhs = { kind: 'sma', window: { bars: 50 } };
    expect(r.doc).toEqual(want);
  });
});
