export { defaultTimezone } from '../schema/zones.ts';

/** "SPY-2011-01.ninjatrader.csv" → "SPY"; "GOOG.csv" → "GOOG". */
export function symbolFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /^[A-Za-z0-9^=]+/.exec(base);
  return (m ? m[0] : base).toUpperCase();
}
