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
