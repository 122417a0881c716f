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
