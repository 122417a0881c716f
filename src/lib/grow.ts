/**
 * The most rows a columnar log reserves at once (OrdersLog.reserve, TradeLog.reserve), a column at a time:
 * 1 MiB per float64 column, the size the doubling reached for W2 anyway, and one the allocator serves from
 * memory given back. Room for 2^20 rows in one buffer was a fresh mapping every time: in a Node process warm
 * from other runs, W2's first run faulted in ~5,700 pages against ~2,400 doubling. A run logging more grows
 * past it by doubling.
 */
export const MAX_ROOM = 1 << 17;

/** The rows a log reserves for `rows`: at most MAX_ROOM, rounded up to a multiple of 8 (carved's alignment). */
export function roomFor(rows: number): number {
  return Math.ceil(Math.min(rows, MAX_ROOM) / 8) * 8;
}

type Growable = Float64Array | Int32Array | Uint8Array | Int8Array;

/**
 * A typed array of the same kind with room for `capacity` elements and `a`'s contents at the front: how the
 * columnar logs (trades, orders, the recorder) double, so they allocate O(log n) times per run, never per row.
 */
export function grown<T extends Growable>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

type Kind = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor | Int8ArrayConstructor;
type Instance<K extends Kind> = K extends Float64ArrayConstructor ? Float64Array
  : K extends Int32ArrayConstructor ? Int32Array : K extends Uint8ArrayConstructor ? Uint8Array : Int8Array;
type Carved<K extends readonly Kind[]> = { -readonly [i in keyof K]: K[i] extends Kind ? Instance<K[i]> : never };

/**
 * Columns of `rows` elements each, of these kinds in this order, carved out of one ArrayBuffer: a log's ~20
 * columns are one allocation instead of ~20 (a fresh OrdersLog of 21 arrays of 512 rows cost 65 µs in a Node
 * loop, one buffer and 21 views 6 µs). `rows` must be a multiple of 8, so that every column starts 8-byte
 * aligned. A log grows column by column (grown), which the allocator serves from memory given back.
 */
export function carved<const K extends readonly Kind[]>(rows: number, kinds: K): Carved<K> {
  if (rows % 8 !== 0) throw new RangeError(`carved: ${rows} rows is not a multiple of 8`);
  let bytes = 0;
  for (const k of kinds) bytes += k.BYTES_PER_ELEMENT * rows;
  const buffer = new ArrayBuffer(bytes);
  const out: Growable[] = [];
  let at = 0;
  for (const k of kinds) {
    out.push(new k(buffer, at, rows));
    at += k.BYTES_PER_ELEMENT * rows;
  }
  return out as Carved<K>;
}
