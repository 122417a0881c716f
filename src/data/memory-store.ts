import { throwIfAborted } from './abort.ts';
import { DatasetStore } from './dataset-store.ts';
import type { EncodedFile } from './format.ts';
import { memoryReader } from './reader.ts';
import type { CatalogBackend, DatasetInfo, FileBackend, OpenFile } from './store.ts';
import type { Clock } from '../lib/clock.ts';

/** Files held in memory: for tests and for a session that should not persist anything. */
export class MemoryFiles implements FileBackend {
  readonly bytes = new Map<string, Uint8Array>();

  async write(name: string, file: EncodedFile, signal?: AbortSignal): Promise<void> {
    const out = new Uint8Array(file.totalBytes);
    out.set(file.header);
    let at = file.header.length;
    for (const p of file.pieces()) {
      throwIfAborted(signal);
      out.set(p, at);
      at += p.length;
    }
    this.bytes.set(name, out);
  }

  async open(name: string): Promise<OpenFile> {
    const b = this.bytes.get(name);
    if (!b) throw new Error(`${name}: no such stored file`);
    return { ...memoryReader(b, name), close() {} };
  }

  async remove(name: string): Promise<void> {
    this.bytes.delete(name);
  }

  async names(): Promise<string[]> {
    return [...this.bytes.keys()];
  }
}

export class MemoryCatalog implements CatalogBackend {
  readonly rows = new Map<string, DatasetInfo>();
  async list(): Promise<DatasetInfo[]> {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }
  async get(id: string): Promise<DatasetInfo | undefined> {
    const r = this.rows.get(id);
    return r && { ...r };
  }
  async set(id: string, info: DatasetInfo | null): Promise<void> {
    if (info) this.rows.set(id, { ...info });
    else this.rows.delete(id);
  }
  async swap(id: string, expectFile: string, info: DatasetInfo): Promise<boolean> {
    if (this.rows.get(id)?.file !== expectFile) return false;
    this.rows.set(id, { ...info });
    return true;
  }
}

export function createMemoryStore(clock?: Clock): DatasetStore {
  return new DatasetStore(new MemoryFiles(), new MemoryCatalog(), clock);
}
