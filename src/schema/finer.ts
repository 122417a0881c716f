import { parseIsoUtc } from '../lib/time.ts';
import { TIMEFRAMES } from './bars.ts';
import type { Settings } from './settings.ts';

const DAY_MS = 86_400_000;
/** The longest a bar of each timeframe spans (a month: 31 days), for the margin of a finer range. */
const SPAN_MS: Readonly<Record<string, number>> = { '1d': DAY_MS, '1w': 7 * DAY_MS, '1mo': 31 * DAY_MS };

/**
 * Which stored timeframe the bar magnifier reads for a run at `timeframe`: the finest of `stored` that is
 * shorter than it (1m before 5m before 1h), or null when none is. Unknown names never qualify.
 */
export function finerTimeframe(timeframe: string, stored: readonly string[]): string | null {
  const rank = (TIMEFRAMES as readonly string[]).indexOf(timeframe);
  let best = -1;
  for (const tf of stored) {
    const r = (TIMEFRAMES as readonly string[]).indexOf(tf);
    if (r >= 0 && r < rank && (best < 0 || r < best)) best = r;
  }
  return best < 0 ? null : TIMEFRAMES[best]!;
}

/** Whether a run of these settings reads finer bars at all (settings.intrabar "finerData"). */
export function wantsFinerData(settings: Pick<Settings, 'intrabar'>): boolean {
  return settings.intrabar === 'finerData';
}

/**
 * The UTC times of finer bars a run over `settings.range` can look inside: from a day before `from` (an
 * exchange day starts up to 14 h away from UTC midnight) to the end of the bar holding `to` plus a day.
 * Unbounded sides stay unbounded. Loading only this keeps a 1d run over one year from reading ten years
 * of minutes; the margin only ever adds bars the magnifier ignores.
 */
export function finerRange(settings: Pick<Settings, 'range' | 'timeframe'>): { from?: number; to?: number } {
  const r = settings.range;
  const out: { from?: number; to?: number } = {};
  if (r?.from) out.from = parseIsoUtc(r.from) - DAY_MS;
  if (r?.to) out.to = parseIsoUtc(r.to) + DAY_MS + (SPAN_MS[settings.timeframe] ?? DAY_MS) + DAY_MS;
  return out;
}
