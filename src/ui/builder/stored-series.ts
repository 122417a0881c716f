import type { DatasetInfo } from '../../data/store.ts';
import type { IndicatorNode } from '../../schema/index.ts';
import type { StoredSeries } from './BuilderContext.ts';

/** The catalog's series by name: a global series once, a per-symbol series once with its symbols (sorted). */
export function storedSeries(catalog: readonly DatasetInfo[]): StoredSeries[] {
  const byKey = new Map<string, { name: string; global: boolean; symbols: Set<string> }>();
  for (const d of catalog) {
    if (d.kind !== 'series') continue;
    const global = d.symbol === null;
    const key = `${global ? 'g' : 's'}:${d.key}`;
    const s = byKey.get(key) ?? { name: d.key, global, symbols: new Set<string>() };
    if (d.symbol !== null) s.symbols.add(d.symbol);
    byKey.set(key, s);
  }
  return [...byKey.values()]
    .map((s) => ({ name: s.name, global: s.global, symbols: [...s.symbols].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name) || Number(b.global) - Number(a.global));
}

/** The operand that reads a stored series: a global one says so; a per-symbol one reads the strategy's asset. */
export function seriesOperand(s: StoredSeries): IndicatorNode {
  return s.global ? { kind: 'series', name: s.name, global: true } : { kind: 'series', name: s.name };
}

/** How the picker describes a stored series. */
export function seriesHelp(s: StoredSeries): string {
  if (s.global) return 'stored series, global';
  const shown = s.symbols.slice(0, 4).join(', ');
  return `stored series for ${shown}${s.symbols.length > 4 ? ` and ${s.symbols.length - 4} more` : ''}`;
}
