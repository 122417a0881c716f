import { deleteDB } from 'idb';
import type { DataClient } from '../../../src/ui/data/client.ts';
import { createDataClient } from '../../../src/ui/data/worker-client.ts';

/** The real data worker on its own OPFS directory and IndexedDB database, removed by `dispose`. */
export async function testDataClient(): Promise<{ client: DataClient; dispose: () => Promise<void> }> {
  const id = Math.random().toString(36).slice(2);
  const dir = `ui-test-bars-${id}`;
  const dbName = `ui-test-catalog-${id}`;
  const { client, terminate } = createDataClient();
  await client.open({ dir, dbName });
  return {
    client,
    dispose: async () => {
      await client.close();
      terminate();
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
      await deleteDB(dbName);
    },
  };
}

/** Daily bars as CSV, one row per calendar day from 2020-01-02; `bad` lists 0-based rows to break. */
export function dailyCsv(rows: number, bad: Record<number, string> = {}, price = 100): string {
  const out = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < rows; i++) {
    const d = new Date(Date.UTC(2020, 0, 2) + i * 86_400_000).toISOString().slice(0, 10);
    const p = price + i / 10;
    out.push(bad[i] ?? `${d},${p.toFixed(2)},${(p + 1).toFixed(2)},${(p - 1).toFixed(2)},${(p + 0.5).toFixed(2)},${1000 + i}`);
  }
  return `${out.join('\n')}\n`;
}
