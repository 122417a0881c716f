/**
 * Splits a stream of byte chunks into lines without decoding them, calling `onLine(bytes, start, end,
 * lineNo)` with end excluding "\n" and "\r". Only a line that straddles two chunks is copied.
 */
export class LineSplitter {
  private carry: Uint8Array | null = null;
  private lineNo = 0;

  constructor(private readonly onLine: (b: Uint8Array, s: number, e: number, line: number) => void) {}

  private emit(b: Uint8Array, s: number, e: number): void {
    this.lineNo++;
    if (e > s && b[e - 1] === 13) e--;
    // A UTF-8 byte-order mark belongs to the file, not to line 1's first field.
    if (this.lineNo === 1 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) s += 3;
    this.onLine(b, s, e, this.lineNo);
  }

  feed(chunk: Uint8Array): void {
    let pos = 0;
    if (this.carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        const joined = new Uint8Array(this.carry.length + chunk.length);
        joined.set(this.carry);
        joined.set(chunk, this.carry.length);
        this.carry = joined;
        return;
      }
      const line = new Uint8Array(this.carry.length + nl);
      line.set(this.carry);
      line.set(chunk.subarray(0, nl), this.carry.length);
      this.carry = null;
      this.emit(line, 0, line.length);
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      this.emit(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.carry = chunk.slice(pos);
  }

  end(): void {
    if (this.carry) {
      const c = this.carry;
      this.carry = null;
      this.emit(c, 0, c.length);
    }
  }
}
