import { DAY_MS } from '../lib/civil.ts';
import { Zone } from '../lib/zone.ts';
import { exchangeZone, type BarColumns, type Settings } from '../schema/index.ts';
import { dayKeyOf } from './result.ts';
import { barsFor, type MarketData } from './market.ts';
import { sessionEnds } from './session.ts';
import { SimulatedVenue, type SimulatedVenueOptions, type Venue } from './venue.ts';

const INTRADAY_MS: Readonly<Record<string, number>> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '4h': 14_400_000 };
const ORDER = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo'];

/**
 * The finer bars inside a bar stamped `t`, as UTC [from, to). Intraday bars span [t, t + timeframe).
 * Daily and longer bars carry their session date at UTC midnight, so they hold the intraday bars whose
 * exchange-local date lies in that day, week or month.
 */
export function barSpan(timeframe: string, timezone: string): (t: number) => { from: number; to: number } {
  const ms = INTRADAY_MS[timeframe];
  if (ms !== undefined) return (t) => ({ from: t, to: t + ms });
  const zone = new Zone(timezone);
  return (t) => {
    const d = new Date(t);
    const end = timeframe === '1w' ? t + 7 * DAY_MS
      : timeframe === '1mo' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
      : t + DAY_MS;
    return { from: zone.toUtc(t), to: zone.toUtc(end) };
  };
}

/**
 * The simulated venue's options for a run: the intrabar rule and, for finerData, the finer bars of each
 * asset (MarketData.finer, same symbol, a shorter timeframe than the document's). A finer series of the
 * wrong timeframe is an error that says which; an asset without one falls back to the pessimistic rule.
 */
export function venueOptions(settings: Settings, data: MarketData, assets: readonly string[]): SimulatedVenueOptions {
  const dayOf = dayKeyOf(settings);
  const opts: SimulatedVenueOptions = { intrabar: settings.intrabar ?? 'pessimistic', dayOf, lastOfSession: sessionEnds(barsFor(data, assets), dayOf) };
  if (opts.intrabar !== 'finerData' || !data.finer) return opts;
  const rank = ORDER.indexOf(settings.timeframe);
  const finer = assets.map((symbol): BarColumns | null => {
    const c = data.finer!.find((b) => b.symbol === symbol) ?? null;
    if (c && !(ORDER.indexOf(c.timeframe) >= 0 && ORDER.indexOf(c.timeframe) < rank)) {
      throw new RangeError(`finer bars for ${symbol} are ${c.timeframe}: the bar magnifier needs a timeframe shorter than ${settings.timeframe}`);
    }
    return c;
  });
  return { ...opts, finer, span: barSpan(settings.timeframe, exchangeZone(settings)) };
}

/** What a finerData run could not look inside, said once (empty for other rules). */
export function magnifierWarnings(settings: Settings, data: MarketData, venue: Venue | null): string[] {
  if (settings.intrabar !== 'finerData') return [];
  if (!data.finer || data.finer.length === 0) return ['intrabar "finerData": no finer bars were loaded, so the pessimistic rule decided every bar'];
  const misses = venue instanceof SimulatedVenue ? venue.magnifierMisses : 0;
  return misses > 0 ? [`intrabar "finerData": ${misses} bar${misses === 1 ? '' : 's'} with an open order or exit had no finer bars; the pessimistic rule decided there`] : [];
}
