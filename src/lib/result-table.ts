/**
 * The column layout of a run's trades, orders and signals as they leave a worker (src/rpc/result-columns.ts
 * encodes objects into it and decodes it on the page). The engine's compiled walk writes it straight from
 * its logs (RunOptions.columns), so a W2 run makes no order, signal or trade object at all.
 */

/** One column per field: numbers as Float64Array (+ a state byte when null or absent is possible), strings as table indices. */
export interface Table {
  length: number;
  num: Record<string, Float64Array>;
  state: Record<string, Uint8Array>;
  str: Record<string, Int32Array>;
}

export interface SignalColumns extends Table {
  /** Signal i's weights are entries weightStart[i] … weightStart[i + 1] − 1; weightNull[i] = 1 for `null`. */
  weightStart: Int32Array;
  weightNull: Uint8Array;
  weightAsset: Int32Array;
  weightValue: Float64Array;
  /** Signal i's order ids are orderIds[orderStart[i] … orderStart[i + 1] − 1]. */
  orderStart: Int32Array;
  orderIds: Float64Array;
  /** A message string index, or −1 for null. */
  message: Int32Array;
}

export interface ResultColumns {
  strings: string[];
  trades: Table;
  orders: Table;
  signals: SignalColumns;
}

/** Markers in a string column (indices ≥ 0 point into the string table) and in a number's state column. */
export const NULL = -1, ABSENT = -2;
export const S_VALUE = 0, S_NULL = 1, S_ABSENT = 2;

/** The string table of one result: each distinct string once, in first-use order. */
export class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
