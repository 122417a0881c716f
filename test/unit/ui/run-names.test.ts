import { describe, expect, it } from 'vitest';
import { distinctName, runDifferences } from '../../../src/ui/history/run-names.ts';
import type { StoredRun } from '../../../src/ui/history/run-store.ts';

const run = (id: string, fast: number, extra: { fee?: number; label?: string; time?: number; name?: string } = {}): StoredRun => ({
  id, time: extra.time ?? 0, name: extra.name ?? 'SMA crossover (10/20)', ...(extra.label ? { label: extra.label } : {}),
  doc: { version: 1, name: 'x', settings: { universe: ['SPX'], fees: { fraction: extra.fee ?? 0.002 } }, parameters: { fast: { default: fast }, slow: { default: 20 } }, strategies: [] },
} as unknown as StoredRun);

describe('run names that tell runs apart (compare legend, history picker)', () => {
  it('a unique name needs nothing more', () => {
    const d = runDifferences([run('a', 5, { name: 'one' }), run('b', 10, { name: 'two' })]);
    expect(d.size).toBe(0);
    expect(distinctName(run('a', 5, { name: 'one' }), d)).toBe('one');
  });
  it('two runs of one document name the parameter that differs, and only it', () => {
    const [a, b] = [run('a', 5), run('b', 10)];
    const d = runDifferences([a, b]);
    expect([distinctName(a, d), distinctName(b, d)]).toEqual(['SMA crossover (10/20) · fast 5', 'SMA crossover (10/20) · fast 10']);
  });
  it('parameters and settings that differ anywhere in the group are both spelled out', () => {
    const d = runDifferences([run('a', 5), run('b', 10), run('c', 10, { fee: 0.001 })]);
    expect([...d.values()]).toEqual(['fast 5, fees.fraction 0.002', 'fast 10, fees.fraction 0.002', 'fast 10, fees.fraction 0.001']);
  });
  it('distinct labels suffice; identical documents fall back to when each run finished', () => {
    expect(runDifferences([run('a', 5, { label: 'quick' }), run('b', 10, { label: 'base' })]).size).toBe(0);
    const d = runDifferences([run('a', 5, { time: Date.UTC(2026, 0, 1) }), run('b', 5, { time: Date.UTC(2026, 0, 2) })]);
    expect(new Set(d.values()).size).toBe(2);
    for (const v of d.values()) expect(v).toMatch(/^run /);
  });
  it('runs that still collide after the differences also say when they finished', () => {
    const d = runDifferences([run('a', 5, { time: 1 }), run('b', 5, { time: 2e12 }), run('c', 10)]);
    expect(d.get('c')).toBe('fast 10');
    expect(d.get('a')).toMatch(/^fast 5, run /);
    expect(d.get('a')).not.toBe(d.get('b'));
  });
});
