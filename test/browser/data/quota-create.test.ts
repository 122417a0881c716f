/**
 * Regression (CI, 2026-12-02: the storage-quota e2e showed the browser's bare "…would cause the application to
 * exceed its storage quota"): a full origin can refuse the creation of the file entry itself, before any byte
 * is written. That refusal must read as the store's StorageFullError like every other quota failure.
 */
import { expect, it } from 'vitest';
import { OpfsFiles } from '../../../src/data/browser/opfs-files.ts';
import type { EncodedFile } from '../../../src/data/format.ts';
import { StorageFullError } from '../../../src/data/store.ts';

it('a quota refusal when the file entry is created is a StorageFullError naming the file and its size', async () => {
  const removed: string[] = [];
  const dir = {
    name: 'full',
    getFileHandle: async () => { throw new DOMException('The operation failed because it would cause the application to exceed its storage quota.', 'QuotaExceededError'); },
    removeEntry: async (n: string) => { removed.push(n); },
  } as unknown as FileSystemDirectoryHandle;
  const file = { header: new Uint8Array(16), pieces: () => [new Uint8Array(2_000_000)], totalBytes: 2_000_016 } as unknown as EncodedFile;
  const err = await new OpfsFiles(dir).write('bars~ABC~1m~1.col', file).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StorageFullError);
  expect(String((err as Error).message)).toMatch(/not enough storage to save 2\.0 MB/);
  expect(removed).toEqual(['bars~ABC~1m~1.col']);
});
