import { describe, expect, it } from 'vitest';
import { semanticChecks } from '../../../src/llm/checks.ts';
import { redact } from '../../../src/llm/errors.ts';
import { estimateCost } from '../../../src/llm/prices.ts';
import { readSse } from '../../../src/llm/sse.ts';
import { parseDocument } from '../../../src/schema/index.ts';
import { template } from './script.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const bytes = chunks.map((c) => enc.encode(c));
  return new ReadableStream({
    start(c) {
      for (const b of bytes) c.enqueue(b);
      c.close();
    },
  });
}

async function collect(chunks: string[]) {
  const out = [];
  for await (const e of readSse(streamOf(chunks))) out.push(e);
  return out;
}

describe('SSE framing', () => {
  it('reassembles events split anywhere, with CRLF, CR, comments, multi-line data and a final unterminated event', async () => {
    const text = ': keep-alive\r\nevent: message_start\r\ndata: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\nevent: x\rdata:nospace\r\rdata: é last';
    for (const size of [1, 2, 3, 7, text.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(await collect(chunks)).toEqual([
        { event: 'message_start', data: '{"a":1}' },
        { event: undefined, data: 'line1\nline2' },
        { event: 'x', data: 'nospace' },
        { event: undefined, data: 'é last' },
      ]);
    }
  });

  it('keeps a multi-byte character split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: ✓\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 7));
        c.enqueue(bytes.slice(7));
        c.close();
      },
    });
    const out = [];
    for await (const e of readSse(stream)) out.push(e.data);
    expect(out).toEqual(['✓']);
  });
});

describe('keys and costs', () => {
  it('redacts every secret, ignores empty ones', () => {
    expect(redact('bad key sk-abc123 and tok-9 and sk-abc123 ab', ['sk-abc123', undefined, '', 'tok-9', 'ab'])).toBe('bad key [redacted] and [redacted] and [redacted] ab');
  });
  it('estimates cost from the longest matching price prefix; unknown models and token counts have none', () => {
    expect(estimateCost('gpt-4o-mini-2024-07-18', 1_000_000, 1_000_000)).toBeCloseTo(0.75);
    expect(estimateCost('gpt-4o', 1000, 1000)).toBeCloseTo(0.0125);
    expect(estimateCost('llama3.1', 1000, 1000)).toBeNull();
    expect(estimateCost('llama3.1', 1000, 1000, true)).toBe(0);
    expect(estimateCost('gpt-4o', null, 10)).toBeNull();
  });
});

describe('semantic checks', () => {
  const doc = () => {
    const p = parseDocument(template('sma-cross.json'));
    if (!p.ok) throw new Error('template');
    return p.doc;
  };
  it('accepts the template with its data and warns about a missing timeframe', () => {
    // The template trades the embedded S&P 500 index (SPX) since issue 16.
    const r = semanticChecks(doc(), { symbols: ['SPX'], timeframes: { SPX: ['1m'] } });
    expect(r.errors).toEqual([]);
    expect(r.warnings[0]!.message).toContain('SPX is stored as 1m bars, not 1d');
  });
  it('names an unknown symbol, an over-long window, a duration shorter than a bar, a MACD with fast ≥ slow and a comparison with itself', () => {
    const d = doc();
    d.settings.universe = ['XYZ'];
    d.strategies[0]!.condition = {
      all: [
        { lhs: { kind: 'sma', window: { bars: 20_000 } }, op: '>', rhs: { kind: 'ema', window: { duration: '4h' } } },
        { lhs: { kind: 'macd', fast: { bars: 26 }, slow: { bars: 12 }, signal: { bars: 9 }, output: 'line' }, op: '>', rhs: 0 },
        { lhs: { kind: 'rsi', window: { bars: 14 } }, op: '>', rhs: { kind: 'rsi', window: { bars: 14 } } },
      ],
    };
    const r = semanticChecks(d, { symbols: ['SPY', 'SPX'] });
    expect(r.errors.map((e) => e.path)).toEqual([
      'settings.universe[0]',
      'strategies[0].condition.all[0].lhs.window.bars',
      'strategies[0].condition.all[0].rhs.window.duration',
      'strategies[0].condition.all[1].lhs.fast',
      'strategies[0].condition.all[2]',
    ]);
    expect(r.errors[0]!.message).toBe('unknown symbol "XYZ": no stored or embedded data has it; use one of SPX, SPY');
  });
});
