import type { BarField } from '../schema/bars.ts';
import { BAR_COLUMNS } from './columns.ts';
import { holdsTimes, timeKey } from './codec.ts';
import { barsId, type DatasetInfo } from './store.ts';

/** A whole stored bar set a document will load (the Results page's runner loads its assets whole). */
export interface PlannedLoad {
  symbol: string;
  timeframe: string;
}

/**
 * The byte lengths of the shared buffers that whole-file loads of these sets will allocate (readBars with the
 * shared allocator, readColumns with `timeApart`): per set, one buffer for its price fields read, and one time
 * column per distinct (rows, first, last) unless a kept one will be compared with (aligned sets share it).
 * Sets the catalog lacks are left out: their load fails anyway. `fields` as the load gets them (all when absent).
 */
export function loadSizes(rows: readonly DatasetInfo[], loads: readonly PlannedLoad[], fields?: readonly BarField[]): number[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const prices = BAR_COLUMNS.filter((f) => f !== 'time' && (!fields || (fields as readonly string[]).includes(f))).length;
  const times = new Set<string>();
  const out: number[] = [];
  for (const { symbol, timeframe } of loads) {
    const r = byId.get(barsId(symbol, timeframe));
    if (!r || r.kind !== 'bars' || !(r.rows > 0)) continue;
    if (prices > 0) out.push(prices * r.rows * 8);
    const key = timeKey(r.rows, r.first, r.last);
    if (!times.has(key) && !holdsTimes(key)) out.push(r.rows * 8);
    times.add(key);
  }
  return out;
}
