import type { DatasetInfo } from '../../data/store.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import { requiredSymbols } from '../data/symbols.ts';
import { isRecord, type Draft } from '../doc/draft.ts';

export interface TemplateNeeds {
  timeframe: string;
  /** Symbols whose bars at `timeframe` are not stored. */
  bars: string[];
  /** Named series the template reads that are not stored (for any symbol). */
  series: string[];
}

const TIMEFRAME_WORDS: Record<string, string> = { '1d': 'daily', '1w': 'weekly', '1mo': 'monthly', '1h': 'hourly', '1m': 'minute' };
export const timeframeWord = (tf: string) => TIMEFRAME_WORDS[tf] ?? tf;

function seriesNames(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) seriesNames(n, out);
  else if (isRecord(node)) {
    if (node.kind === 'series' && typeof node.name === 'string') out.add(node.name);
    for (const v of Object.values(node)) seriesNames(v, out);
  }
  return out;
}

/**
 * What a template reads that this device has not stored, so the gallery can say so before the click.
 * Null while the catalog is unknown.
 */
export function templateNeeds(doc: Draft, catalog: readonly DatasetInfo[] | undefined): TemplateNeeds | null {
  if (!catalog) return null;
  const settings: Record<string, unknown> = isRecord(doc.settings) ? doc.settings : {};
  const timeframe = typeof settings.timeframe === 'string' ? settings.timeframe : '1d';
  // requiredSymbols only walks the document's structure, so a template draft serves as well as a parsed document.
  const symbols = requiredSymbols({ ...doc, settings: { ...settings, universe: Array.isArray(settings.universe) ? settings.universe : [] } } as unknown as StrategyDocument);
  const bars = symbols.filter((s) => !catalog.some((d) => d.kind === 'bars' && d.symbol === s && d.key === timeframe));
  const series = [...seriesNames(doc.strategies, new Set())].filter((n) => !catalog.some((d) => d.kind === 'series' && d.key === n));
  return { timeframe, bars, series };
}
