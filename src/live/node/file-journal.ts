import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal, JournalEntry } from '../journal.ts';

/**
 * The journal as a file: `<dir>/journal.jsonl`, one entry per line, appended and fsync'd before `append`
 * resolves (so an order's intent is on disk before it is sent). A crash can only tear the last line; a torn
 * last line is ignored on read (it was never acknowledged), a bad line anywhere else is an error naming it.
 */
export class FileJournal implements Journal {
  readonly path: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'journal.jsonl');
  }

  async read(): Promise<JournalEntry[]> {
    if (!existsSync(this.path)) return [];
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const out: JournalEntry[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as JournalEntry);
      } catch {
        const last = lines.slice(i + 1).every((l) => l === '');
        if (last) break;
        throw new Error(`${this.path} line ${i + 1}: not a journal entry (the state is damaged; nothing was changed)`);
      }
    }
    return out;
  }

  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
