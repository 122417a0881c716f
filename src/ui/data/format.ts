const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${UNITS[i]}`;
}

const INTRADAY = /^\d+[mh]$/;

/** A bar time in UTC: the date for daily and slower bars, date and minute for intraday ones. */
export function formatBarTime(ms: number, timeframe: string): string {
  // A stored record from before import checks could hold any number: show it, never throw.
  if (!(Math.abs(ms) <= 8.64e15)) return `invalid time (${String(ms)})`;
  const iso = new Date(ms).toISOString();
  return INTRADAY.test(timeframe) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}
