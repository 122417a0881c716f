/**
 * Trigger and fill rules of orders beyond market, as small pure functions of one price range (a bar, or a
 * finer bar inside it): given the order's levels and the range's open, high and low, does it fill and at
 * what raw price (before slippage)? The simulated venue walks bars through them; a live venue uses them
 * for the order types its broker lacks. Side: +1 buys (or a long position), −1 sells (or a short).
 * NaN levels are absent (every comparison with NaN is false). docs/ENGINE.md states the same rules.
 */

/** A level from a reference price: `dir` +1 above it, −1 below. percent: ref × (1 ± v/100); distance: ref ± v; price: v. */
export function levelPrice(mode: LevelMode, value: number, ref: number, dir: 1 | -1): number {
  return mode === 'percent' ? ref * (1 + (dir * value) / 100) : mode === 'distance' ? ref + dir * value : value;
}

export type LevelMode = 'percent' | 'distance' | 'price';

/** A buy limit fills at the open when the open is at or below the limit, else at the limit when the low reaches it. Sells mirror. */
export function limitFill(side: 1 | -1, limit: number, o: number, h: number, l: number): number {
  if (side === 1) return o <= limit ? o : l <= limit ? limit : NaN;
  return o >= limit ? o : h >= limit ? limit : NaN;
}

/** A buy stop fills at the open when the open is at or above the stop (a gap through it), else at the stop when the high reaches it. */
export function stopFill(side: 1 | -1, stop: number, o: number, h: number, l: number): number {
  if (side === 1) return o >= stop ? o : h >= stop ? stop : NaN;
  return o <= stop ? o : l <= stop ? stop : NaN;
}

export type IntrabarRule = 'pessimistic' | 'optimistic';

/** Result of a two-level check, written into a reused object (no allocation per bar). */
export interface Hit {
  /** 0 nothing, 1 the stop side, 2 the target (or limit) side. */
  code: 0 | 1 | 2;
  price: number;
}
export const NO_HIT = 0, STOP_HIT = 1, TARGET_HIT = 2;

/**
 * A position's protective stop and target against one range. `side` is the position's (+1 long: stop
 * below, target above). The open at or through a level fills at the open (a gap: the stop's fill is worse
 * than the stop, the target's better than the target). Otherwise a level inside [low, high] fills at the
 * level; when both are inside, `rule` decides which came first (pessimistic: the stop).
 */
export function exitHit(side: 1 | -1, stop: number, target: number, o: number, h: number, l: number, rule: IntrabarRule, out: Hit): Hit {
  out.code = NO_HIT;
  out.price = NaN;
  const stopGap = side === 1 ? o <= stop : o >= stop;
  const targetGap = side === 1 ? o >= target : o <= target;
  if (stopGap || targetGap) {
    out.code = stopGap ? STOP_HIT : TARGET_HIT;
    out.price = o;
    return out;
  }
  const s = side === 1 ? l <= stop : h >= stop;
  const t = side === 1 ? h >= target : l <= target;
  if (s && (!t || rule === 'pessimistic')) {
    out.code = STOP_HIT;
    out.price = stop;
  } else if (t) {
    out.code = TARGET_HIT;
    out.price = target;
  }
  return out;
}

/**
 * A stop-limit entry against one range. Before its stop trades it waits; once it does, it is a limit
 * order. Triggered at the open (a gap), the limit applies to the whole range. Triggered inside the range
 * at the stop: a limit at or beyond the stop (a buy's limit ≥ stop) fills at the stop; a limit short of
 * the stop needs the price to come back after the trigger, which one range cannot order: pessimistic
 * waits for the next range, optimistic fills at the limit when the range reaches it.
 * Returns the fill price or NaN; `state.triggered` records the trigger across ranges.
 */
export function stopLimitFill(side: 1 | -1, stop: number, limit: number, state: { triggered: boolean }, o: number, h: number, l: number, rule: IntrabarRule): number {
  if (state.triggered) return limitFill(side, limit, o, h, l);
  const trig = stopFill(side, stop, o, h, l);
  if (Number.isNaN(trig)) return NaN;
  state.triggered = true;
  if (trig === o) return limitFill(side, limit, o, h, l);
  if ((limit - stop) * side >= 0) return stop;
  return rule === 'optimistic' ? limitFill(side, limit, stop, h, l) : NaN;
}

/** A trailing stop's level from the best price since entry: below it for a long, above for a short. */
export function trailLevel(side: 1 | -1, best: number, mode: 'percent' | 'distance', value: number): number {
  return levelPrice(mode, value, best, side === 1 ? -1 : 1);
}
