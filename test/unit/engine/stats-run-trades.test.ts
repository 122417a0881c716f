/**
 * A stats-only run (record 'stats', what sweeps ask for) keeps its trades as columns and makes the objects
 * only when `trades` is read (issue 17 item 4). To every reader it is still a plain property: structured
 * clone (worker pools), JSON, spread and deep equality all see the same trades as a full run's.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { parseDocument } from '../../../src/schema/index.ts';

const n = 120;
const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000);
const close = Float64Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin(i / 4));
const bars = {
  symbol: 'A', timeframe: '1d', length: n, time, open: close.map((x) => x - 0.5), high: close.map((x) => x + 1), low: close.map((x) => x - 1), close,
  volume: close.map(() => 1000),
};
const parsed = parseDocument({
  version: 1, name: 'cross', settings: { universe: ['A'], timeframe: '1d', initialCash: 10_000, fees: { fraction: 0.001 }, allowShort: true },
  strategies: [
    { id: 'up', name: 'up', condition: { lhs: { kind: 'sma', asset: 'A', window: { bars: 3 } }, op: 'crossesAbove', rhs: { kind: 'sma', asset: 'A', window: { bars: 8 } } }, action: { type: 'setWeight', asset: 'A', weight: 1 } },
    { id: 'down', name: 'down', condition: { lhs: { kind: 'sma', asset: 'A', window: { bars: 3 } }, op: 'crossesBelow', rhs: { kind: 'sma', asset: 'A', window: { bars: 8 } } }, action: { type: 'setWeight', asset: 'A', weight: -1 } },
  ],
});

describe('trades of a stats-only run', () => {
  it('read, cloned, serialised and spread like the full run\'s trades, on both engines', () => {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    for (const engine of ['fast', 'reference'] as const) {
      const full = runBacktest(parsed.doc, { bars: [bars] }, { engine, audit: false });
      expect(full.trades.length).toBeGreaterThan(5);
      const a = runBacktest(parsed.doc, { bars: [bars] }, { engine, audit: false, record: 'stats' });
      expect(structuredClone(a).trades).toEqual(full.trades);
      const b = runBacktest(parsed.doc, { bars: [bars] }, { engine, audit: false, record: 'stats' });
      expect(JSON.parse(JSON.stringify(b)).trades).toEqual(JSON.parse(JSON.stringify(full.trades)));
      const c = runBacktest(parsed.doc, { bars: [bars] }, { engine, audit: false, record: 'stats' });
      expect({ ...c }.trades).toEqual(full.trades);
      expect(Object.keys(c)).toContain('trades');
      expect(c.trades).toBe(c.trades); // made once, then kept
    }
  });
});
