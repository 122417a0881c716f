import type { Entry, Exits, Level, TrailingStop } from '../../schema/index.ts';

export const ENTRY_TYPES = ['market', 'limit', 'stop', 'stopLimit'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export const ENTRY_NAMES: Record<EntryType, string> = { market: 'market', limit: 'limit', stop: 'stop', stopLimit: 'stop-limit' };
export const TIF_NAMES = { bar: 'next bar only', day: 'day', gtc: 'good till cancelled' } as const;

export const LEVEL_KINDS = ['percent', 'distance', 'atr', 'price'] as const;
export type LevelKind = (typeof LEVEL_KINDS)[number];
export const LEVEL_NAMES: Record<LevelKind, string> = { percent: '%', distance: 'distance', atr: '× ATR', price: 'price' };

export type ExitKey = keyof Exits;

export function levelKind(l: Level | TrailingStop): LevelKind {
  return 'percent' in l ? 'percent' : 'distance' in l ? 'distance' : 'atr' in l ? 'atr' : 'price';
}

/** A level of another kind, keeping the number where it still means something. */
export function convertLevel(l: Level | TrailingStop, to: LevelKind): Level {
  const n = 'percent' in l ? l.percent : 'distance' in l ? l.distance : 'atr' in l ? l.atr : 1;
  switch (to) {
    case 'percent': return { percent: n };
    case 'distance': return { distance: n };
    case 'atr': return { atr: n };
    case 'price': return { price: { kind: 'price', field: 'close' } };
  }
}

/** Entry of another type; undefined = market (the document stays as it was before entries existed). */
export function convertEntry(e: Entry | undefined, to: EntryType): Entry | undefined {
  const tif = e && e.type !== 'market' && e.timeInForce ? { timeInForce: e.timeInForce } : {};
  const first: Level = e?.type === 'limit' || e?.type === 'stop' ? e.price : e?.type === 'stopLimit' ? e.stop : { percent: 1 };
  switch (to) {
    case 'market': return undefined;
    case 'limit': case 'stop': return { type: to, price: first, ...tif };
    case 'stopLimit': return { type: to, stop: first, limit: { percent: 0.5 }, ...tif };
  }
}

const DEFAULT_EXIT: { [K in ExitKey]-?: NonNullable<Exits[K]> } = {
  stopLoss: { percent: 5 },
  takeProfit: { percent: 10 },
  trailingStop: { percent: 5 },
  timeExit: { bars: 10 },
};

/** Turns one exit on (with a default level) or off; no exits left = no `exits` key. */
export function withExit(x: Exits, key: ExitKey, on: boolean): Exits | undefined {
  const next: Exits = { ...x };
  if (on) (next as Record<string, unknown>)[key] = DEFAULT_EXIT[key];
  else delete next[key];
  return Object.keys(next).length === 0 ? undefined : next;
}
