import { throwIfAborted } from '../abort.ts';
import type { EncodedFile } from '../format.ts';
import { isQuotaError as isQuota, isStoreFile, StorageFullError, storageFullError as quotaError, type FileBackend, type OpenFile } from '../store.ts';

/** The parts of the OPFS sync access handle we use (lib.dom lacks them; they exist in dedicated workers only). */
interface SyncHandle {
  read(buffer: Uint8Array, opts: { at: number }): number;
  write(buffer: Uint8Array, opts: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}
type SyncCapable = FileSystemFileHandle & { createSyncAccessHandle?(opts?: { mode?: string }): Promise<SyncHandle> };

/** True in a dedicated worker (sync access handles); false on the main thread, where the async API is used. */
export function hasSyncAccess(): boolean {
  const g = globalThis as { FileSystemFileHandle?: { prototype: object } };
  return !!g.FileSystemFileHandle && 'createSyncAccessHandle' in g.FileSystemFileHandle.prototype;
}

/**
 * Store files in an OPFS directory. In a worker, reads and writes go through sync access handles, reading
 * straight into the destination (shared) memory; on the main thread through File/createWritable.
 * Each write creates a fresh file name (see DatasetStore), so the live file is never written over.
 */
export class OpfsFiles implements FileBackend {
  private readonly sync = hasSyncAccess();
  /** Web Lock names of this directory's writes: `<prefix><file>`. */
  private readonly lockPrefix: string;
  constructor(readonly dir: FileSystemDirectoryHandle, path = dir.name) {
    this.lockPrefix = `swiftbacktest-write:${path}:`;
  }

  static async open(path: string): Promise<OpfsFiles> {
    let dir = await navigator.storage.getDirectory();
    for (const part of path.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(part, { create: true });
    return new OpfsFiles(dir, path);
  }

  /** Holds a Web Lock for the write: the browser releases it when the tab closes or the worker is terminated. */
  hold<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const locks = webLocks();
    return locks ? (locks.request(this.lockPrefix + name, fn) as Promise<Awaited<T>> as Promise<T>) : fn();
  }

  async busy(): Promise<Set<string> | undefined> {
    const locks = webLocks();
    if (!locks) return undefined;
    const { held = [], pending = [] } = await locks.query();
    const out = new Set<string>();
    for (const l of [...held, ...pending]) if (l.name?.startsWith(this.lockPrefix)) out.add(l.name.slice(this.lockPrefix.length));
    return out;
  }

  async write(name: string, file: EncodedFile, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    try {
      // Creating the entry can already hit the quota (seen in CI with a full origin): inside the try, so that
      // too reads as the store's StorageFullError, not the browser's bare message.
      const fh = (await this.dir.getFileHandle(name, { create: true })) as SyncCapable;
      if (this.sync && fh.createSyncAccessHandle) {
        const h = await fh.createSyncAccessHandle();
        try {
          h.truncate(0);
          let at = 0;
          for (const piece of [file.header, ...file.pieces()]) {
            throwIfAborted(signal);
            let done = 0;
            while (done < piece.length) {
              const n = h.write(piece.subarray(done), { at: at + done });
              // Past the quota Chromium has returned 4294967288 (a negative error code as u32) instead of
              // throwing: a result outside (0, remaining] is a failed write, never a byte count.
              if (!(Number.isInteger(n) && n > 0 && n <= piece.length - done)) throw await quotaError(name, file.totalBytes, at + done);
              done += n;
            }
            at += piece.length;
          }
          h.flush();
          const size = h.getSize();
          if (size !== file.totalBytes) throw await quotaError(name, file.totalBytes, size);
        } finally {
          h.close();
        }
      } else {
        // createWritable writes to a swap file that replaces the target only on close(): abort discards it.
        const w = await fh.createWritable();
        try {
          await w.write(file.header as Uint8Array<ArrayBuffer>);
          for (const piece of file.pieces()) {
            throwIfAborted(signal);
            await w.write((piece.buffer instanceof ArrayBuffer ? piece : piece.slice()) as Uint8Array<ArrayBuffer>);
          }
          await w.close();
        } catch (e) {
          await w.abort().catch(() => undefined);
          throw isQuota(e) ? await quotaError(name, file.totalBytes, 0) : e;
        }
        const size = (await fh.getFile()).size;
        if (size !== file.totalBytes) throw await quotaError(name, file.totalBytes, size);
      }
    } catch (e) {
      await this.remove(name);
      throw isQuota(e) && !(e instanceof StorageFullError) ? await quotaError(name, file.totalBytes, 0) : e;
    }
  }

  async modifiedAt(name: string): Promise<number> {
    return (await (await this.dir.getFileHandle(name)).getFile()).lastModified;
  }

  async open(name: string): Promise<OpenFile> {
    let fh: SyncCapable;
    try {
      fh = (await this.dir.getFileHandle(name)) as SyncCapable;
    } catch {
      throw new Error(`${name}: stored file is missing from OPFS`);
    }
    if (this.sync && fh.createSyncAccessHandle) {
      const h = await fh.createSyncAccessHandle({ mode: 'read-only' });
      return { name, size: h.getSize(), read: (into, at) => readShared(h, into, at), close: () => h.close() };
    }
    const blob = await fh.getFile();
    return {
      name,
      size: blob.size,
      read: async (into, at) => {
        const got = new Uint8Array(await blob.slice(at, at + into.length).arrayBuffer());
        into.set(got);
        return got.length;
      },
      close() {},
    };
  }

  async remove(name: string): Promise<void> {
    await this.dir.removeEntry(name).catch(() => undefined);
  }

  async names(): Promise<string[]> {
    const out: string[] = [];
    for await (const key of (this.dir as unknown as { keys(): AsyncIterable<string> }).keys()) if (isStoreFile(key)) out.push(key);
    return out;
  }
}

/** Sync handles may refuse SharedArrayBuffer views; then read through a bounce buffer. */
let bounce: Uint8Array | null = null;
function readShared(h: SyncHandle, into: Uint8Array, at: number): number {
  if (!(into.buffer instanceof SharedArrayBuffer)) return h.read(into, { at });
  try {
    return h.read(into, { at });
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    if (!bounce || bounce.length < into.length) bounce = new Uint8Array(Math.max(into.length, 1 << 20));
    const n = h.read(bounce.subarray(0, into.length), { at });
    into.set(bounce.subarray(0, n));
    return n;
  }
}

const webLocks = (): LockManager | undefined => (globalThis.navigator as Navigator | undefined)?.locks;

