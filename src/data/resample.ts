import type { BarColumns } from '../schema/bars.ts';
import { DAY_MS } from '../lib/civil.ts';
import { allocBars } from './columns.ts';
import { GrowableF64 } from './grow.ts';
import { Zone } from '../lib/zone.ts';

export type ResampleTarget = '5m' | '15m' | '30m' | '1h' | '4h' | '1d';
const SIZE: Record<ResampleTarget, number> = { '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '4h': 14_400_000, '1d': DAY_MS };

export interface ResampleOptions {
  /** Keep only bars starting in 09:30–16:00 exchange time (regular US hours). Default false. */
  regularHoursOnly?: boolean;
  /** Exchange zone for buckets, sessions and regular hours. Default America/New_York. */
  timezone?: string;
}

const RTH_FROM = (9 * 60 + 30) * 60_000, RTH_TO = 16 * 3_600_000;

/**
 * Aggregates bars (usually 1m) into larger ones: open of the first bar, max high, min low, close of the
 * last, summed volume. Only bars that exist are aggregated; an empty bucket yields no bar.
 * Intraday buckets are aligned on the exchange's wall clock (so 1h bars start at :00 local, 4h at
 * 00/04/08/12/16/20 local) and stamped with their UTC start.
 * Daily bars are keyed to the session date: a bar belongs to the exchange-local calendar date of its
 * start, and the daily bar's time is 00:00 UTC of that date — the same key a daily CSV import gives.
 */
export function resample(bars: BarColumns, target: ResampleTarget, opts: ResampleOptions = {}): BarColumns {
  const size = SIZE[target];
  if (!size) throw new RangeError(`cannot resample to ${String(target)}`);
  const zone = new Zone(opts.timezone ?? 'America/New_York');
  const rth = opts.regularHoursOnly ?? false;
  const out = [0, 1, 2, 3, 4, 5].map(() => new GrowableF64(Math.ceil(bars.length / (size / 60_000)) + 16));
  const [T, O, H, L, C, V] = out as [GrowableF64, GrowableF64, GrowableF64, GrowableF64, GrowableF64, GrowableF64];
  let key = NaN;
  for (let i = 0; i < bars.length; i++) {
    const t = bars.time[i]!;
    const local = zone.toLocal(t);
    if (rth) {
      const tod = local - Math.floor(local / DAY_MS) * DAY_MS;
      if (tod < RTH_FROM || tod >= RTH_TO) continue;
    }
    const bucketLocal = Math.floor(local / size) * size;
    const k = target === '1d' ? bucketLocal : bucketLocal - (local - t);
    const h = bars.high[i]!, l = bars.low[i]!;
    if (k !== key) {
      key = k;
      T.push(k); O.push(bars.open[i]!); H.push(h); L.push(l); C.push(bars.close[i]!); V.push(bars.volume[i]!);
    } else {
      const j = T.length - 1;
      if (h > H.data[j]!) H.data[j] = h;
      if (l < L.data[j]!) L.data[j] = l;
      C.data[j] = bars.close[i]!;
      V.data[j] = V.data[j]! + bars.volume[i]!;
    }
  }
  const res = allocBars(bars.symbol, target, T.length);
  [res.time, res.open, res.high, res.low, res.close, res.volume].forEach((d, f) => d.set(out[f]!.data.subarray(0, T.length)));
  return res;
}
