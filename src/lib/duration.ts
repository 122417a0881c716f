/**
 * Durations like "30d", "4h", "15m", "90s", "2w", "500ms" → milliseconds.
 * Calendar-free on purpose: "1d" is 86,400,000 ms of elapsed time, which is what a
 * (t − d, t] window on UTC epoch times needs. Months and years are not accepted here
 * because their length varies; calendar logic lives in src/lib/calendar.ts.
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** Returns the duration in ms, or NaN when the text is not a positive duration. */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return NaN;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : NaN;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
