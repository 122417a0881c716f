import type { BarColumns } from '../schema/index.ts';

const DAY = 86_400_000;
/** Gaps shorter than this are holidays and data holes, not a symbol missing from the market. */
const SLACK: Record<string, number> = { '1w': 14 * DAY, '1mo': 62 * DAY };

const date = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Survivorship warning (issue 11 item 3): a universe whose symbols do not all span the run. A symbol whose
 * bars start well after the run's first bar, or end well before its last, listed, delisted, merged or
 * renamed inside the run — or its file is short. A universe picked from symbols that trade today leaves out
 * the ones that did not survive, which flatters every statistic. One warning names every such symbol.
 */
export function survivorshipWarnings(assets: readonly string[], cols: readonly BarColumns[], from: number, to: number, timeframe: string): string[] {
  if (assets.length < 2) return [];
  const slack = SLACK[timeframe] ?? 7 * DAY;
  let start = Infinity, end = -Infinity;
  const spans = cols.map((c) => {
    let i = 0, j = c.length - 1;
    while (i < c.length && c.time[i]! < from) i++;
    while (j >= i && c.time[j]! > to) j--;
    if (j < i) return null;
    start = Math.min(start, c.time[i]!);
    end = Math.max(end, c.time[j]!);
    return [c.time[i]!, c.time[j]!] as const;
  });
  if (!Number.isFinite(start)) return [];
  const short: string[] = [];
  spans.forEach((s, a) => {
    if (s === null) short.push(`${assets[a]} (no bars in the run)`);
    else if (s[0] - start > slack || end - s[1] > slack) short.push(`${assets[a]} (${date(s[0])} to ${date(s[1])})`);
  });
  if (short.length === 0) return [];
  return [`survivorship: not every universe symbol spans the run (${date(start)} to ${date(end)}): ${short.join(', ')}. `
    + 'A universe chosen from symbols that exist today leaves out those delisted or merged during the run, which flatters the results; '
    + 'a symbol that starts late or ends early may also be a short data file.'];
}
