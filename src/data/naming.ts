/** Currency pairs and crypto trade around the clock and are quoted in UTC by most vendors. */
const FX_OR_CRYPTO = /^(BTC|ETH|XBT|SOL|LTC|XRP|USD|EUR|GBP|JPY|CHF|AUD|CAD|NZD)[A-Z]{3,4}$/;

/** Exchange zone for naive local times: UTC for FX/crypto symbols, else New York (US equities). */
export function defaultTimezone(symbol: string): string {
  return FX_OR_CRYPTO.test(symbol.toUpperCase()) ? 'UTC' : 'America/New_York';
}

/** "SPY-2011-01.ninjatrader.csv" → "SPY"; "GOOG.csv" → "GOOG". */
export function symbolFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /^[A-Za-z0-9^=]+/.exec(base);
  return (m ? m[0] : base).toUpperCase();
}
