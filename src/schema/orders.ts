import { z } from 'zod';
import { CountSchema, ParamRefSchema, type NumberLike } from './number.ts';
import { ExprSchema, type Expr } from './expr.ts';
import { WindowSchema, type Window } from './window.ts';

/**
 * A price level, relative to a reference price or absolute:
 * - `{ percent: 5 }`: 5 % of the reference price away from it;
 * - `{ distance: 2.5 }`: 2.5 price units away;
 * - `{ atr: 2, window: { bars: 14 } }`: 2 × ATR(window, default 14 bars) of the asset at the signal;
 * - `{ price: expr }`: this absolute price (any expression, evaluated at the signal).
 * The reference and the direction depend on where the level is used (docs/ENGINE.md, "Orders beyond market").
 */
export type Level =
  | { percent: NumberLike }
  | { distance: NumberLike }
  | { atr: NumberLike; window?: Window }
  | { price: Expr };

/** A positive number or a parameter (checked again after parameters are substituted). */
const PositiveSchema = z.union([z.number().finite().positive('expected a number > 0'), ParamRefSchema], {
  error: 'expected a number > 0 or {"$param": name}',
});

export const LevelSchema: z.ZodType<Level> = z.union(
  [
    z.strictObject({ percent: PositiveSchema }),
    z.strictObject({ distance: PositiveSchema }),
    z.strictObject({ atr: PositiveSchema, window: WindowSchema.optional() }),
    z.strictObject({ price: ExprSchema }),
  ],
  { error: 'expected a level: {"percent": n}, {"distance": n}, {"atr": n} or {"price": expression}' },
);

/** A trailing stop follows the best price since entry (by the bar's high/low, or by its close). */
export type TrailingStop =
  | { percent: NumberLike; by?: 'close' | 'highLow' }
  | { distance: NumberLike; by?: 'close' | 'highLow' }
  | { atr: NumberLike; window?: Window; by?: 'close' | 'highLow' };

const by = z.enum(['close', 'highLow']).optional();
export const TrailingStopSchema: z.ZodType<TrailingStop> = z.union(
  [
    z.strictObject({ percent: PositiveSchema, by }),
    z.strictObject({ distance: PositiveSchema, by }),
    z.strictObject({ atr: PositiveSchema, window: WindowSchema.optional(), by }),
  ],
  { error: 'expected a trailing stop: {"percent": n}, {"distance": n} or {"atr": n}' },
);

/**
 * When a time exit closes the position: after `bars` bars of its asset, after a `duration` ("5d", "4h"), or
 * `{ sessionClose: true }`: at the close of the last bar of the exchange session it is in (intraday: the
 * day's last bar, whatever time the session ends, half days included; daily bars: that day's close).
 */
export type TimeExit = Window | { sessionClose: true };

export const TimeExitSchema: z.ZodType<TimeExit> = z.union(
  [WindowSchema, z.strictObject({ sessionClose: z.literal(true) })],
  { error: 'expected a time exit: {"bars": n}, {"duration": "4h"} or {"sessionClose": true}' },
);

/**
 * Exits attached to the position an action opens (a bracket: whichever triggers first cancels the rest).
 * Stop-loss and take-profit are measured from the entry fill price; a time exit closes the position after
 * a number of bars, a duration, or at the session's close.
 */
export interface Exits {
  stopLoss?: Level;
  takeProfit?: Level;
  trailingStop?: TrailingStop;
  timeExit?: TimeExit;
}

export const ExitsSchema: z.ZodType<Exits> = z.strictObject({
  stopLoss: LevelSchema.optional(),
  takeProfit: LevelSchema.optional(),
  trailingStop: TrailingStopSchema.optional(),
  timeExit: TimeExitSchema.optional(),
});

/** bar: the next bar only; day: until the end of the signal's exchange day; gtc: until filled (or `expireAfterBars`). */
export const TIME_IN_FORCE = ['bar', 'day', 'gtc'] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

/**
 * How an entry is placed. Prices are relative to the signal bar's close (a buy limit below it, a buy stop
 * above it; sells mirrored) or absolute with `{ price }`. A stop-limit's `limit` is measured from its stop
 * price, beyond it (a buy stop-limit's limit is above its stop).
 */
export type Entry =
  | { type: 'market' }
  | { type: 'limit'; price: Level; timeInForce?: TimeInForce; expireAfterBars?: NumberLike }
  | { type: 'stop'; price: Level; timeInForce?: TimeInForce; expireAfterBars?: NumberLike }
  | { type: 'stopLimit'; stop: Level; limit: Level; timeInForce?: TimeInForce; expireAfterBars?: NumberLike };

const tif = { timeInForce: z.enum(TIME_IN_FORCE).optional(), expireAfterBars: CountSchema.optional() };
export const EntrySchema: z.ZodType<Entry> = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('market') }),
    z.strictObject({ type: z.literal('limit'), price: LevelSchema, ...tif }),
    z.strictObject({ type: z.literal('stop'), price: LevelSchema, ...tif }),
    z.strictObject({ type: z.literal('stopLimit'), stop: LevelSchema, limit: LevelSchema, ...tif }),
  ],
  { error: 'expected an entry type: market, limit, stop or stopLimit' },
);

export const EXIT_REASONS = ['signal', 'stop', 'target', 'trail', 'time', 'end'] as const;
/** Why a trade closed: a strategy's order, one of the exits attached to the position, or the end of the data (settings.closeAtEnd). */
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * True when a document uses anything of issue #12 beyond market orders: an entry type other than market,
 * attached exits (time exits at the session close included), or settings.closeAtEnd (exit reason "end").
 * The fast path falls back to the kernel (the reference) whenever this is true.
 */
export function usesOrderTypes(doc: { strategies: readonly { action: object }[]; settings?: { closeAtEnd?: boolean } }): boolean {
  if (doc.settings?.closeAtEnd === true) return true;
  return doc.strategies.some((s) => {
    const a = s.action as { entry?: { type: string }; exits?: object };
    return a.exits !== undefined || (a.entry !== undefined && a.entry.type !== 'market');
  });
}
