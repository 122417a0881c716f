import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AttemptRecord } from '../../llm/attempts.ts';
import type { ProviderName } from '../../llm/types.ts';

/**
 * Plain-English settings and the attempt log, in IndexedDB on this device only: never in a draft, a share
 * link or the run history. The API key is stored as the user typed it (the browser's storage for this site
 * is the only place it lives); "Forget" deletes it.
 */
export interface LlmSettings {
  provider: ProviderName;
  model: string;
  escalateModel: string;
  /** Direct calls only; empty: the provider's own API. */
  baseUrl: string;
  apiKey: string;
  /** Send through the proxy configured on the Settings page. */
  viaProxy: boolean;
  stream: boolean;
}

/** One generation's requests, kept for the user to inspect. */
export interface AttemptLogEntry {
  id?: number;
  time: number;
  mode: 'new' | 'edit';
  ok: boolean;
  records: AttemptRecord[];
}

interface LlmDB extends DBSchema {
  settings: { key: string; value: LlmSettings };
  attempts: { key: number; value: AttemptLogEntry };
}

export const MAX_LOG_ENTRIES = 50;
let dbp: Promise<IDBPDatabase<LlmDB>> | null = null;
function db(): Promise<IDBPDatabase<LlmDB>> {
  dbp ??= openDB<LlmDB>('backtester-llm', 1, {
    upgrade(d) {
      d.createObjectStore('settings');
      d.createObjectStore('attempts', { keyPath: 'id', autoIncrement: true });
    },
  });
  return dbp;
}

export async function loadLlmSettings(): Promise<LlmSettings | null> {
  return (await (await db()).get('settings', 'provider')) ?? null;
}

export async function saveLlmSettings(s: LlmSettings | null): Promise<void> {
  const d = await db();
  if (s === null) await d.delete('settings', 'provider');
  else await d.put('settings', s, 'provider');
}

export async function appendAttemptLog(e: AttemptLogEntry): Promise<void> {
  const d = await db();
  const tx = d.transaction('attempts', 'readwrite');
  await tx.store.add(e);
  const keys = await tx.store.getAllKeys();
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_LOG_ENTRIES))) await tx.store.delete(k);
  await tx.done;
}

export async function loadAttemptLog(): Promise<AttemptLogEntry[]> {
  return (await (await db()).getAll('attempts')).reverse();
}

export async function clearAttemptLog(): Promise<void> {
  await (await db()).clear('attempts');
}
