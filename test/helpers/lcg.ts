/**
 * A small deterministic generator for long test data, where drawing every element through fast-check would
 * be slow: the property draws the seed, this draws the values.
 */
export function lcg(s: number): () => number {
  let x = (s >>> 0) || 1;
  return () => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return x / 4_294_967_296;
  };
}
