import { z } from 'zod';
import { daysInMonth } from '../lib/civil.ts';
import { isSaneTime, parseIsoUtc } from '../lib/time.ts';
import { assertTimeZone } from '../lib/tz.ts';
import { TIMEFRAMES } from './bars.ts';

const isoDate = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/, 'expected an ISO date like 2010-01-31')
  .refine((s) => isRealDate(s), { error: (iss) => `"${String(iss.input)}" is not a date between 1800 and 2199 (check month, day and time)` });

/** The calendar check a pattern cannot make: 2010-13-45 and 2011-02-29 are not dates. */
function isRealDate(s: string): boolean {
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  const t = parseIsoUtc(s);
  return y >= 1800 && y < 2200 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && isSaneTime(t)
    && (s.length <= 10 || (Number(s.slice(11, 13)) < 24 && Number(s.slice(14, 16)) < 60 && (s.length < 19 || Number(s.slice(17, 19)) < 60)));
}

function isTimeZone(zone: string): boolean {
  try {
    assertTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}

/** Money amounts (cash, fees) stay below a trillion: far above any account, far below overflow. */
export const MAX_MONEY = 1e12;
const money = z.number().min(0).max(MAX_MONEY, `expected at most ${MAX_MONEY.toExponential()}`);

/**
 * Costs are additive like a real broker's schedule: fraction × notional + perShare × |quantity| +
 * perOrder, then at least `minimum` per order (when the order has any commission at all).
 */
export const FeesSchema = z.strictObject({
  fraction: z.number().min(0).max(0.5).default(0),
  perShare: money.default(0),
  perOrder: money.default(0),
  minimum: money.default(0),
});

/** Slippage moves every fill against the trader: buys pay price × (1 + bps/1e4) + fixed, sells get the mirror. */
export const SlippageSchema = z.strictObject({
  bps: z.number().min(0).max(10_000).default(0),
  fixed: money.default(0),
});

export const SettingsSchema = z.strictObject({
  universe: z.array(z.string().min(1).regex(/^[^$\s]+$/, 'symbols have no spaces and do not start with $')).min(1, 'expected at least one symbol'),
  timeframe: z.enum(TIMEFRAMES).default('1d'),
  range: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() })
    .refine((r) => !r.from || !r.to || !(parseIsoUtc(r.from) > parseIsoUtc(r.to)), { path: ['to'], error: 'the range ends before it starts' })
    .optional(),
  initialCash: z.number().positive().max(MAX_MONEY, `expected at most ${MAX_MONEY.toExponential()}`).default(10_000),
  fees: FeesSchema.default({ fraction: 0, perShare: 0, perOrder: 0, minimum: 0 }),
  slippage: SlippageSchema.default({ bps: 0, fixed: 0 }),
  /** nextOpen: an order from bar t fills at the open of the asset's next bar. close: at bar t's close (optimistic). */
  fillModel: z.enum(['nextOpen', 'close']).default('nextOpen'),
  /**
   * When one bar's range holds both an exit's stop and its target (or a stop-limit's stop and limit):
   * pessimistic (default) = the stop first; optimistic = the target first; finerData = look inside the bar
   * with finer bars of the same symbol when the run has them (bar magnifier), pessimistic where it has not.
   * Omitted means pessimistic.
   */
  intrabar: z.enum(['pessimistic', 'optimistic', 'finerData']).optional(),
  /**
   * Positions still open when the data end: omitted or false = left open, marked to market in equity but
   * not a trade (backtesting.py's default, finalize_trades=False); true = closed at each asset's last close
   * with fees and slippage, as trades with exit reason "end" (backtesting.py's finalize_trades=True).
   */
  closeAtEnd: z.boolean().optional(),
  /**
   * How corporate actions (splits, cash dividends) loaded with the data act on the run (docs/ENGINE.md
   * "Corporate actions"). adjusted (omitted): prices are back-adjusted for splits and dividends (total
   * return) and nothing happens on an ex-date. raw: prices as stored; on each ex-date a split multiplies the
   * position and adjusts open orders, a dividend credits longs and charges shorts in cash. Without actions
   * both are the same run.
   */
  prices: z.enum(['raw', 'adjusted']).optional(),
  units: z.enum(['whole', 'fractional']).default('whole'),
  allowShort: z.boolean().default(false),
  /** Symbol whose buy-and-hold is the benchmark; defaults to the first universe symbol. */
  benchmark: z.string().min(1).optional(),
  /**
   * Exchange time zone for calendar fields and the daily grouping of intraday bars. Omitted: UTC when every
   * universe symbol is FX/crypto-looking (as the importer reads their times), else America/New_York
   * (`exchangeZone` in zones.ts).
   */
  timezone: z.string().refine(isTimeZone, { error: (iss) => `unknown time zone "${String(iss.input)}"; expected an IANA name like America/New_York` })
    .optional(),
  riskFreeRate: z.number().min(0).max(1).default(0),
  /**
   * Periods per year that annualise returns (docs/STATISTICS.md). Omitted: inferred from the bars — 252 for
   * exchange days, 365 when the data trade on weekends, 52 / 12 / 1 for weekly / monthly / yearly bars.
   */
  periodsPerYear: z.number().positive().max(1_000_000).optional(),
  /** Equity history sampling: every bar, or hourly/daily. auto = every bar for daily data, hourly intraday. */
  sampling: z.enum(['auto', 'bar', 'hour', 'day']).default('auto'),
});

export type Settings = z.output<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;
export type Fees = z.output<typeof FeesSchema>;
export type Slippage = z.output<typeof SlippageSchema>;
