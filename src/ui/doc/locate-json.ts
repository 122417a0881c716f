import type { Path } from './path.ts';

/**
 * Where a JSON path sits in JSON text: the offset of the member's key (so the caret lands on the name the
 * error is about) or of the array element. A path that does not exist in the text (a missing required
 * key) resolves to the deepest part that does, which is the object the key is missing from.
 * Assumes syntactically valid JSON: schema errors only exist once the text parsed.
 */
export function locateJson(text: string, path: Path): number {
  const s = new Scanner(text);
  s.ws();
  let found = s.i;
  for (const seg of path) {
    const at = s.enter(seg);
    if (at === null) break;
    found = at;
  }
  return found;
}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  ws(): void {
    while (this.i < this.t.length && /\s/.test(this.t[this.i]!)) this.i++;
  }

  /** Moves to the value of `seg` inside the current container; returns the offset to report, or null. */
  enter(seg: string | number): number | null {
    const open = this.t[this.i];
    if (open === '{' && typeof seg === 'string') return this.member(seg);
    if (open === '[' && typeof seg === 'number') return this.element(seg);
    return null;
  }

  private member(key: string): number | null {
    this.i++;
    for (;;) {
      this.ws();
      if (this.t[this.i] !== '"') return null;
      const keyAt = this.i;
      const name = this.string();
      this.ws();
      this.i++; // ':'
      this.ws();
      if (name === key) return keyAt;
      this.value();
      this.ws();
      if (this.t[this.i] !== ',') return null;
      this.i++;
    }
  }

  private element(index: number): number | null {
    this.i++;
    for (let n = 0; ; n++) {
      this.ws();
      if (this.t[this.i] === ']') return null;
      if (n === index) return this.i;
      this.value();
      this.ws();
      if (this.t[this.i] !== ',') return null;
      this.i++;
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.t.length && this.t[this.i] !== '"') this.i += this.t[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.t.slice(start, this.i)) as string;
  }

  private value(): void {
    const c = this.t[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '{' || c === '[') {
      // Skips a whole container by depth; strings are skipped whole so brackets inside them do not count.
      let depth = 0;
      do {
        const d = this.t[this.i];
        if (d === '"') {
          this.string();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        this.i++;
      } while (depth > 0 && this.i < this.t.length);
      return;
    }
    while (this.i < this.t.length && !/[\s,\]}]/.test(this.t[this.i]!)) this.i++;
  }
}
