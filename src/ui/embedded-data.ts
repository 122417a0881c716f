import { DEFAULT_SYMBOL } from './defaults.ts';
import type { BarSource } from './runner-pool.ts';

/** The part of the data worker's API this needs (DataClient has it; tests may pass a smaller object). */
export interface EmbeddedSource extends BarSource {
  storeEmbedded(): Promise<unknown>;
  storeEmbeddedSeries(): Promise<unknown>;
}

/** The catalog id of the embedded S&P 500 daily bars that a first visit runs on. */
export const EMBEDDED_ID = `bars:${DEFAULT_SYMBOL}:1d`;

/**
 * Makes sure the embedded S&P 500 is in the store when a run first asks for it: written from the bundled CSV
 * the first time only, so a reload neither rewrites OPFS nor changes the catalog's file ids (which would drop
 * the runner's cached data). Lazy, so opening the app (or a shared link) stores nothing by itself.
 * One promise per page; a failure is retried on the next call.
 */
export function embeddedData(source: EmbeddedSource): { ready: () => Promise<void>; source: BarSource } {
  let pending: Promise<void> | null = null;
  let seriesPending: Promise<void> | null = null;
  const ready = () =>
    (pending ??= (async () => {
      const list = await source.list();
      if (!list.some((d) => d.id === EMBEDDED_ID)) await source.storeEmbedded();
    })().catch((e: unknown) => {
      pending = null;
      throw e;
    }));
  const wrapped: BarSource = {
    list: async () => {
      await pending?.catch(() => undefined);
      return source.list();
    },
    get: async (symbol, timeframe, range, fields) => {
      if (`bars:${symbol}:${timeframe}` === EMBEDDED_ID) await ready();
      return source.get(symbol, timeframe, range, fields);
    },
    // A global series the store lacks may be an embedded one (US payrolls) not stored yet: store those
    // once, then look again. A name that is not embedded is still missing afterwards, and the run says so.
    getSeries: async (name, symbol) => {
      const found = await source.getSeries(name, symbol);
      if (found || symbol !== null) return found;
      await (seriesPending ??= source.storeEmbeddedSeries().then(() => undefined, (e: unknown) => {
        seriesPending = null;
        throw e;
      }));
      return source.getSeries(name, symbol);
    },
    listActions: () => source.listActions(),
    // (An arrow, not bind: on the data worker's Comlink proxy `bind` would be a remote call.)
    ...(source.reserve ? { reserve: (loads, fields) => source.reserve!(loads, fields) } : {}),
  };
  return { ready, source: wrapped };
}
