import type { DatasetInfo } from '../../data/store.ts';
import { formatTime } from '../results/format.ts';

/** What the stored bars of a universe cover at one timeframe: the span every symbol has, and who has none. */
export interface StoredRange {
  /** Latest first bar and earliest last bar over the symbols that have bars (epoch ms); null if none has. */
  from: number | null;
  to: number | null;
  /** Symbols without bars at this timeframe. */
  missing: string[];
}

export function storedRange(catalog: readonly DatasetInfo[], universe: readonly string[], timeframe: string): StoredRange {
  let from: number | null = null;
  let to: number | null = null;
  const missing: string[] = [];
  for (const symbol of universe) {
    const d = catalog.find((x) => x.kind === 'bars' && x.symbol === symbol && x.key === timeframe);
    if (!d) {
      missing.push(symbol);
      continue;
    }
    from = from === null ? d.first : Math.max(from, d.first);
    to = to === null ? d.last : Math.min(to, d.last);
  }
  return { from, to, missing };
}

/** The hint beside From / to: "Stored: 2000-01-03 to 2020-06-01", with what is missing or does not overlap. */
export function rangeHint(r: StoredRange, timeframe: string): string | null {
  const parts: string[] = [];
  if (r.from !== null && r.to !== null) {
    parts.push(r.from <= r.to ? `Stored: ${formatTime(r.from)} to ${formatTime(r.to)}` : 'Stored bars of these symbols do not overlap');
  }
  if (r.missing.length > 0) parts.push(`no ${timeframe} bars stored for ${r.missing.join(', ')}`);
  return parts.length ? parts.join('; ') : null;
}
