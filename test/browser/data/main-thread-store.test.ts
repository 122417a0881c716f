import { deleteDB } from 'idb';
import { afterEach, expect, it } from 'vitest';
import { createOpfsStore, type OpfsStore } from '../../../src/data/browser/opfs-store.ts';
import { hasSyncAccess } from '../../../src/data/browser/opfs-files.ts';
import { allocBars, barsEqual } from '../../../src/data/columns.ts';

const dir = `test-main-${Math.random().toString(36).slice(2)}`;
const dbName = `test-main-${Math.random().toString(36).slice(2)}`;

let store: OpfsStore | undefined;

afterEach(async () => {
  store?.close();
  await (await navigator.storage.getDirectory()).removeEntry(dir, { recursive: true }).catch(() => undefined);
  await deleteDB(dbName);
});

it('the main-thread fallback (async OPFS API) round-trips and swaps atomically', async () => {
  expect(hasSyncAccess()).toBe(false);
  store = await createOpfsStore({ dir, dbName });
  const b = allocBars('M', '1d', 1000);
  for (let i = 0; i < 1000; i++) { b.time[i] = i * 86_400_000; b.close[i] = 999_999.99 - i; b.volume[i] = i; }
  await store.put(b, { source: 'main' });
  expect(barsEqual((await store.get('M', '1d'))!, b)).toBe(true);
  const ac = new AbortController();
  ac.abort();
  await expect(store.put(allocBars('M', '1d', 0), { signal: ac.signal })).rejects.toThrow(/abort/i);
  await expect(store.put(allocBars('M', '1d', 2))).rejects.toThrow(/row 1: time 0 is not after 0/);
  expect((await store.list())[0]).toMatchObject({ rows: 1000, source: 'main' });
  expect(barsEqual((await store.get('M', '1d'))!, b)).toBe(true);
});
