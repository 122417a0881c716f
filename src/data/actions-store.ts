import { wallClock, type Clock } from '../lib/clock.ts';
import { sortActions, type CorporateAction } from '../schema/actions.ts';

/** The corporate actions of one symbol as stored: the whole list, replaced as a unit by each import. */
export interface StoredActions {
  symbol: string;
  /** Sorted by ex-date (splits before dividends on one date). */
  actions: CorporateAction[];
  /** The file they came from. */
  source: string;
  /** Epoch ms. */
  importedAt: number;
}

/**
 * Where corporate actions live (IndexedDB in the browser, memory in tests). An import replaces the actions of
 * every symbol its file names, all in one transaction: either every symbol of the file is replaced or,
 * when the write fails, nothing stored changes. Symbols the file does not name keep theirs.
 */
export interface ActionsStore {
  listActions(): Promise<StoredActions[]>;
  replaceActions(list: readonly CorporateAction[], source: string): Promise<StoredActions[]>;
  deleteActions(symbol: string): Promise<boolean>;
}

/** Groups a parsed file by symbol into the rows an import writes. */
export function actionRows(list: readonly CorporateAction[], source: string, importedAt: number): StoredActions[] {
  const by = new Map<string, CorporateAction[]>();
  for (const a of sortActions(list)) {
    let l = by.get(a.symbol);
    if (!l) by.set(a.symbol, (l = []));
    l.push(a);
  }
  return [...by].map(([symbol, actions]) => ({ symbol, actions, source, importedAt }));
}

export class MemoryActions implements ActionsStore {
  readonly rows = new Map<string, StoredActions>();
  constructor(private readonly clock: Clock = wallClock) {}

  async listActions(): Promise<StoredActions[]> {
    return [...this.rows.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1)).map((r) => structuredClone(r));
  }

  async replaceActions(list: readonly CorporateAction[], source: string): Promise<StoredActions[]> {
    const rows = actionRows(list, source, this.clock.now());
    for (const r of rows) this.rows.set(r.symbol, structuredClone(r));
    return rows;
  }

  async deleteActions(symbol: string): Promise<boolean> {
    return this.rows.delete(symbol);
  }
}
