import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../abort.ts';
import type { EncodedFile } from '../format.ts';
import { isStoreFile, type CatalogBackend, type DatasetInfo, type FileBackend, type OpenFile } from '../store.ts';

const TMP = '.tmp';

/** Store files in a directory. A file is written under a temporary name, fsynced, then renamed. */
export class FsFiles implements FileBackend {
  constructor(readonly dir: string) {}

  async write(name: string, file: EncodedFile, signal?: AbortSignal): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, name + TMP);
    const fh = await open(tmp, 'w');
    try {
      let at = 0;
      const put = async (b: Uint8Array) => {
        let done = 0;
        while (done < b.length) {
          const { bytesWritten } = await fh.write(b, done, b.length - done, at + done);
          done += bytesWritten;
        }
        at += b.length;
      };
      await put(file.header);
      for (const p of file.pieces()) {
        throwIfAborted(signal);
        await put(p);
      }
      await fh.sync();
      await fh.close();
      await rename(tmp, join(this.dir, name));
    } catch (e) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async open(name: string): Promise<OpenFile> {
    const path = join(this.dir, name);
    const fh = await open(path, 'r');
    const { size } = await fh.stat();
    return {
      name: path,
      size,
      read: async (into, at) => (await fh.read(into, 0, into.length, at)).bytesRead,
      close: () => fh.close(),
    };
  }

  async remove(name: string): Promise<void> {
    await rm(join(this.dir, name), { force: true });
  }

  async modifiedAt(name: string): Promise<number> {
    return (await stat(join(this.dir, name))).mtimeMs;
  }

  async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter(isStoreFile);
    } catch {
      return [];
    }
  }
}

/**
 * The catalog as one JSON file, replaced atomically (temp + rename) on each change. Changes are
 * serialized by DatasetStore; one process writes a store directory at a time.
 */
export class FsCatalog implements CatalogBackend {
  private readonly path: string;
  constructor(readonly dir: string) {
    this.path = join(dir, 'catalog.json');
  }

  private async load(): Promise<Record<string, DatasetInfo>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    let rows: Record<string, DatasetInfo>;
    try {
      rows = JSON.parse(text) as Record<string, DatasetInfo>;
    } catch {
      throw new Error(`${this.path}: catalog is not valid JSON`);
    }
    // JSON has no NaN: an empty dataset's first/last come back as null.
    for (const r of Object.values(rows)) {
      r.first ??= NaN;
      r.last ??= NaN;
    }
    return rows;
  }

  async list(): Promise<DatasetInfo[]> {
    return Object.values(await this.load());
  }

  async get(id: string): Promise<DatasetInfo | undefined> {
    return (await this.load())[id];
  }

  async set(id: string, info: DatasetInfo | null): Promise<void> {
    const all = await this.load();
    if (info) all[id] = info;
    else delete all[id];
    await mkdir(this.dir, { recursive: true });
    const tmp = this.path + TMP;
    await writeFile(tmp, JSON.stringify(all, null, 1));
    await rename(tmp, this.path);
  }
}
