/** UTC epoch ms → ISO-8601 UTC string ("2004-08-19T00:00:00.000Z"). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Day number (days since epoch, UTC) of an epoch-ms time; used to group equity by calendar day. */
export function utcDay(ms: number): number {
  return Math.floor(ms / 86_400_000);
}

/** Parses an ISO date or date-time; a bare date means midnight UTC. NaN when unparseable. */
export function parseIsoUtc(text: string): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) return Date.parse(`${t.replace(' ', 'T')}Z`);
  return Date.parse(t);
}

/**
 * The times a bar, a series value or a date setting may have: 1800-01-01 to 2200-01-01 UTC (exclusive).
 * Wider than any market record, narrow enough that every such time formats as a date (Date throws
 * "Invalid time value" beyond ±8.64e15 ms) and adds a period without losing the millisecond.
 */
export const TIME_MIN = Date.UTC(1800, 0, 1);
export const TIME_MAX = Date.UTC(2200, 0, 1);

export function isSaneTime(ms: number): boolean {
  return ms >= TIME_MIN && ms < TIME_MAX;
}
