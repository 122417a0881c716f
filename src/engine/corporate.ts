import { Zone } from '../lib/zone.ts';
import { exchangeZone, type BarColumns, type CorporateAction, type Settings } from '../schema/index.ts';
import { SESSION_DATED } from './calendar.ts';
import { barsFor, RunError, type MarketData } from './market.ts';

/**
 * Corporate actions (docs/ENGINE.md "Corporate actions"). settings.prices:
 * - "adjusted" (default, omitted): the bars are back-adjusted from the actions before the run — splits and
 *   cash dividends (a total-return adjustment) — and no action happens during the run;
 * - "raw": the bars are the stored ones and the kernel applies each action at its asset's first bar on or
 *   after the ex-date, before that bar's fills (kernel.ts step 0).
 */
export type PriceMode = 'raw' | 'adjusted';

export function priceMode(s: Pick<Settings, 'prices'>): PriceMode {
  return s.prices ?? 'adjusted';
}

/**
 * When the ex-date begins for these bars: daily and coarser bars are stamped at 00:00 UTC of their session
 * date, so it is the date itself; intraday bars start at 00:00 of the ex-date in the exchange zone.
 */
export function exStart(exDate: number, s: Pick<Settings, 'timeframe' | 'timezone' | 'universe'>, zone?: Zone): number {
  if (SESSION_DATED.has(s.timeframe)) return exDate;
  return (zone ?? new Zone(exchangeZone(s))).toUtc(exDate);
}

/** Per asset, its actions in the order they apply (ex-date; a split before a dividend on the same date). */
export function actionsByAsset(actions: readonly CorporateAction[] | undefined, assets: readonly string[]): CorporateAction[][] {
  const out = assets.map((): CorporateAction[] => []);
  if (!actions || actions.length === 0) return out;
  const index = new Map(assets.map((s, i) => [s, i]));
  for (const a of actions) {
    const i = index.get(a.symbol);
    if (i !== undefined) out[i]!.push(a);
  }
  for (const l of out) l.sort((x, y) => x.exDate - y.exDate || (x.type === 'split' ? 0 : 1) - (y.type === 'split' ? 0 : 1));
  return out;
}

/** Index of the first bar at or after `t` (the bar an action starting at t applies at); `length` when none. */
function firstAtOrAfter(b: BarColumns, t: number): number {
  let lo = 0, hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b.time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Back-adjusted copy of one symbol's bars: every bar before an action's ex-bar is multiplied by that
 * action's factor, the latest bars stay as stored. Split r: prices × 1/r, volume × r. Cash dividend D: prices ×
 * (1 − D / C), C the raw close of the last bar before the ex-date (CRSP's and Yahoo's rule), volume unchanged.
 * An action before the first bar or after the last changes nothing. A dividend at or above that close is an
 * error (the factor would be ≤ 0): it says which.
 */
export function backAdjust(b: BarColumns, actions: readonly CorporateAction[], s: Pick<Settings, 'timeframe' | 'timezone' | 'universe'>): BarColumns {
  const n = b.length;
  const zone = SESSION_DATED.has(s.timeframe) ? undefined : new Zone(exchangeZone(s));
  // Each action scales the bars before its ex-bar k (k = n: on or after no bar, so not yet happened; k = 0: before the data).
  const at = actions.map((a) => firstAtOrAfter(b, exStart(a.exDate, s, zone)));
  const price = new Float64Array(n);
  const vol = new Float64Array(n);
  let pf = 1, vf = 1;
  let j = actions.length - 1;
  for (let i = n - 1; i >= 0; i--) {
    for (; j >= 0 && at[j]! > i; j--) {
      const k = at[j]!;
      if (k >= n) continue;
      const a = actions[j]!;
      if (a.type === 'split') {
        pf /= a.value;
        vf *= a.value;
        continue;
      }
      const c = b.close[k - 1]!;
      if (!(a.value < c)) {
        throw new RunError(`${a.symbol}: the dividend of ${a.value} on ${new Date(a.exDate).toISOString().slice(0, 10)} is not below the close before it (${c}); cannot adjust prices`);
      }
      pf *= 1 - a.value / c;
    }
    price[i] = pf;
    vol[i] = vf;
  }
  const out = {
    symbol: b.symbol, timeframe: b.timeframe, length: n,
    // A time column of its own: the IndicatorCache keys columns by the bars' time array, so adjusted and raw
    // bars of one symbol never share indicator columns.
    time: b.time.slice(0, n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = price[i]!;
    out.open[i] = f === 1 ? b.open[i]! : b.open[i]! * f;
    out.high[i] = f === 1 ? b.high[i]! : b.high[i]! * f;
    out.low[i] = f === 1 ? b.low[i]! : b.low[i]! * f;
    out.close[i] = f === 1 ? b.close[i]! : b.close[i]! * f;
    out.volume[i] = vol[i] === 1 ? b.volume[i]! : b.volume[i]! * vol[i]!;
  }
  return out;
}

/**
 * Adjusted columns are computed once per stored bar set and set of actions, and reused: an optimizer's
 * thousands of runs read one adjusted copy, and the IndicatorCache (keyed by the columns) keeps its columns.
 */
const adjustedCache = new WeakMap<BarColumns, { key: string; cols: BarColumns }>();

/** The bars a run reads: as stored, or back-adjusted when settings.prices is "adjusted" and the symbol has actions. */
export function runColumns(cols: readonly BarColumns[], assets: readonly string[], actions: readonly CorporateAction[] | undefined, s: Settings): BarColumns[] {
  if (priceMode(s) === 'raw' || !actions || actions.length === 0) return [...cols];
  const by = actionsByAsset(actions, assets);
  return cols.map((b, a) => {
    const mine = by[a]!;
    if (mine.length === 0) return b;
    const key = JSON.stringify([b.length, s.timeframe, SESSION_DATED.has(s.timeframe) ? '' : exchangeZone(s), mine]);
    const hit = adjustedCache.get(b);
    if (hit && hit.key === key) return hit.cols;
    const adjusted = backAdjust(b, mine, s);
    adjustedCache.set(b, { key, cols: adjusted });
    return adjusted;
  });
}

/**
 * What a processor runs on: the plan's bars (back-adjusted when settings.prices is "adjusted") and the
 * actions the kernel applies as events (raw prices only; undefined otherwise).
 */
export function runData(data: MarketData, assets: readonly string[], s: Settings): { cols: BarColumns[]; actions: readonly CorporateAction[] | undefined } {
  const cols = runColumns(barsFor(data, assets), assets, data.actions, s);
  return { cols, actions: priceMode(s) === 'raw' && data.actions && data.actions.length > 0 ? data.actions : undefined };
}

/** True when a raw-price run has actions for one of its assets (the kernel applies them as events). */
export function rawActionsFor(data: MarketData, assets: readonly string[], s: Settings): boolean {
  if (priceMode(s) !== 'raw' || !data.actions) return false;
  const set = new Set(assets);
  return data.actions.some((a) => set.has(a.symbol));
}
