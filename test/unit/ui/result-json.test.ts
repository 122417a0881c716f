/**
 * The Result JSON export of a pool run (issue 17): pool results come back as columns without condition
 * traces, so the export says so (`signalTraces`) instead of passing a trace-less file off as complete, and
 * the trees stay available: explain on the exported document and the same data gives each one back.
 */
import { describe, expect, it } from 'vitest';
import { explain, runBacktest } from '../../../src/engine/index.ts';
import { resultJson, TRACES_OMITTED } from '../../../src/ui/results/export.ts';
import { crossDoc, dailyBars, withoutTraces } from '../pool/fixture.ts';

describe('Result JSON of a run whose signals carry no trace', () => {
  const doc = crossDoc();
  const data = { bars: dailyBars() };
  const full = runBacktest(doc, data, { params: { fast: 5, slow: 40 } });

  it('says the traces are omitted and how to get them; a run with traces says nothing', () => {
    expect(full.signals.length).toBeGreaterThan(2);
    const pooled = JSON.parse(resultJson(withoutTraces(full), doc)) as { signalTraces?: string; result: { signals: { trace?: unknown }[] } };
    expect(pooled.signalTraces).toBe(TRACES_OMITTED);
    expect(pooled.result.signals.every((s) => s.trace === undefined)).toBe(true);
    const audited = JSON.parse(resultJson(full, doc)) as { signalTraces?: string; result: { signals: { trace?: unknown }[] } };
    expect(audited.signalTraces).toBeUndefined();
    expect(audited.result.signals.every((s) => s.trace !== undefined)).toBe(true);
  });

  it('explain on the exported document gives back every stored tree', () => {
    const exported = JSON.parse(resultJson(withoutTraces(full), doc)) as { document: typeof doc; result: { signals: { time: number; strategyId: string }[] } };
    for (const [i, s] of exported.result.signals.entries()) {
      const why = explain(exported.document, data, s.time, { params: { fast: 5, slow: 40 } }).find((e) => e.strategyId === s.strategyId)!;
      expect(why.fired).toBe(true);
      expect(why.trace).toEqual(full.signals[i]!.trace);
    }
  });
});
