import { barsFingerprint, type FingerprintColumns } from '../../lib/fingerprint.ts';
import type { ShareData } from '../../schema/share.ts';
import type { DataClient } from '../data/client.ts';
import { formatBarTime } from '../data/format.ts';

export interface DataSnapshot {
  data: ShareData;
  /** null when none of the symbols is stored. */
  fingerprint: string | null;
}

/**
 * Describes and fingerprints this device's stored bars for the symbols a document reads: whole stored
 * datasets, so equal fingerprints mean every bar a run could read is equal.
 */
export async function snapshotData(client: DataClient, symbols: readonly string[], timeframe: string): Promise<DataSnapshot> {
  const catalog = await client.list();
  const sets: FingerprintColumns[] = [];
  const sources = new Set<string>();
  const missing: string[] = [];
  let from: number | null = null;
  let to: number | null = null;
  let rows = 0;
  for (const symbol of symbols) {
    const info = catalog.find((d) => d.kind === 'bars' && d.symbol === symbol && d.key === timeframe);
    const bars = info ? await client.get(symbol, timeframe) : null;
    if (!info || !bars || bars.length === 0) {
      missing.push(symbol);
      continue;
    }
    sets.push(bars);
    sources.add(info.source);
    rows += bars.length;
    from = Math.min(from ?? Infinity, bars.time[0]!);
    to = Math.max(to ?? -Infinity, bars.time[bars.length - 1]!);
  }
  return {
    data: { symbols: [...symbols], timeframe, from, to, rows, source: [...sources].sort().join(', '), missing },
    fingerprint: sets.length ? barsFingerprint(sets) : null,
  };
}

export type DataVerdict = { match: true } | { match: false; reasons: string[] };

/** Compares the link's data with this device's, in words a person can act on. */
export function compareData(link: DataSnapshot, mine: DataSnapshot): DataVerdict {
  if (link.fingerprint !== null && link.fingerprint === mine.fingerprint && mine.data.missing.length === link.data.missing.length) {
    return { match: true };
  }
  const reasons: string[] = [];
  const tf = link.data.timeframe;
  const lacking = mine.data.missing.filter((s) => !link.data.missing.includes(s));
  if (lacking.length) reasons.push(`no ${tf} bars stored here for ${lacking.join(', ')} (import them on the Data page)`);
  const theirsLacking = link.data.missing.filter((s) => !mine.data.missing.includes(s));
  if (theirsLacking.length) reasons.push(`the sender had no ${tf} bars for ${theirsLacking.join(', ')}`);
  if (link.fingerprint === null && mine.fingerprint === null) reasons.push('neither side has any of the data stored');
  if (mine.data.rows !== link.data.rows) reasons.push(`${mine.data.rows.toLocaleString('en-US')} bars here, ${link.data.rows.toLocaleString('en-US')} in the link`);
  const span = (d: ShareData) => (d.from === null || d.to === null ? 'no bars' : `${formatBarTime(d.from, tf)} to ${formatBarTime(d.to, tf)}`);
  if (mine.data.from !== link.data.from || mine.data.to !== link.data.to) reasons.push(`range ${span(mine.data)} here, ${span(link.data)} in the link`);
  if (reasons.length === 0) reasons.push('same symbols, bar count and range, but some prices or times differ');
  if (mine.data.source !== link.data.source && link.data.source) reasons.push(`the sender's data came from ${link.data.source}`);
  return { match: false, reasons };
}
