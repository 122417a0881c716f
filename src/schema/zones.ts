/** Currency pairs and crypto trade around the clock and are quoted in UTC by most vendors. */
const FX_OR_CRYPTO = /^(BTC|ETH|XBT|SOL|LTC|XRP|USD|EUR|GBP|JPY|CHF|AUD|CAD|NZD)[A-Z]{3,4}$/;

/** Exchange zone for naive local times: UTC for FX/crypto symbols, else New York (US equities). */
export function defaultTimezone(symbol: string): string {
  return FX_OR_CRYPTO.test(symbol.toUpperCase()) ? 'UTC' : 'America/New_York';
}

/**
 * The zone a run reads calendar fields and groups intraday days in: `settings.timezone` when the document
 * sets it, else the importer's rule for its symbols — UTC when every universe symbol is FX/crypto-looking
 * (so hourly EURUSD read as UTC is grouped into UTC days, as it was imported), else America/New_York.
 */
export function exchangeZone(settings: { timezone?: string | undefined; universe: readonly string[] }): string {
  if (settings.timezone !== undefined) return settings.timezone;
  return settings.universe.length > 0 && settings.universe.every((s) => defaultTimezone(s) === 'UTC') ? 'UTC' : 'America/New_York';
}
