const MAX_FIELDS = 64;

/**
 * Field boundaries of one line, reused across lines: starts[i], ends[i] for i < count. Double quotes
 * protect delimiters inside a field; the quotes stay in the field and the number/time parsers skip them.
 */
export class FieldSplitter {
  readonly starts = new Int32Array(MAX_FIELDS);
  readonly ends = new Int32Array(MAX_FIELDS);
  count = 0;

  split(b: Uint8Array, s: number, e: number, delimiter: number): number {
    let n = 0, start = s, quoted = false;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === 34) quoted = !quoted;
      else if (c === delimiter && !quoted) {
        if (n < MAX_FIELDS) { this.starts[n] = start; this.ends[n] = i; }
        n++;
        start = i + 1;
      }
    }
    if (n < MAX_FIELDS) { this.starts[n] = start; this.ends[n] = e; }
    n++;
    this.count = Math.min(n, MAX_FIELDS);
    return this.count;
  }
}

export function isBlank(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xef && c !== 0xbb && c !== 0xbf) return false;
  }
  return true;
}

const utf8 = new TextDecoder();
export const lineText = (b: Uint8Array, s: number, e: number) => utf8.decode(b.subarray(s, e));
