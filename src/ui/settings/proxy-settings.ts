import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { useCallback, useEffect, useState } from 'react';
import { checkProxyUrl } from '../../lib/proxy-url.ts';

/**
 * The broker proxy this device talks to (issue #13): read by the live-trading and plain-English features.
 * Stored in IndexedDB on this device only; never in a share link, a draft or the run history.
 */
export interface ProxySettings {
  url: string;
  /** Only for a proxy in vault mode (it holds the broker and LLM keys and asks for this token). */
  token?: string;
}

interface SettingsDB extends DBSchema {
  settings: { key: string; value: ProxySettings };
}

const DB_NAME = 'backtester-settings';
const KEY = 'proxy';

let dbp: Promise<IDBPDatabase<SettingsDB>> | null = null;
function db(): Promise<IDBPDatabase<SettingsDB>> {
  dbp ??= openDB<SettingsDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('settings');
    },
  });
  return dbp;
}

/** Only well-formed settings leave this module: a value edited by hand in devtools reads as "not set". */
function sanitize(v: unknown): ProxySettings | null {
  if (typeof v !== 'object' || v === null) return null;
  const { url, token } = v as { url?: unknown; token?: unknown };
  if (typeof url !== 'string') return null;
  const c = checkProxyUrl(url);
  if (!c.ok) return null;
  return typeof token === 'string' && token !== '' ? { url: c.url, token } : { url: c.url };
}

export async function loadProxySettings(): Promise<ProxySettings | null> {
  return sanitize(await (await db()).get('settings', KEY));
}

/** Saves (or with null, forgets) the proxy settings. An invalid URL is refused with the reason. */
export async function saveProxySettings(s: ProxySettings | null): Promise<void> {
  const d = await db();
  if (s === null) {
    await d.delete('settings', KEY);
  } else {
    const c = checkProxyUrl(s.url);
    if (!c.ok) throw new Error(c.error);
    await d.put('settings', s.token ? { url: c.url, token: s.token } : { url: c.url }, KEY);
  }
  changes.dispatchEvent(new Event('change'));
}

/** Every mounted hook re-reads after a save, so the live and LLM pages see a new URL without a reload. */
const changes = new EventTarget();

export function useProxySettings(): {
  settings: ProxySettings | null;
  loading: boolean;
  save(s: ProxySettings | null): Promise<void>;
} {
  const [state, setState] = useState<{ settings: ProxySettings | null; loading: boolean }>({ settings: null, loading: true });
  useEffect(() => {
    let live = true;
    const read = () => {
      loadProxySettings().then(
        (settings) => live && setState({ settings, loading: false }),
        () => live && setState({ settings: null, loading: false }),
      );
    };
    read();
    changes.addEventListener('change', read);
    return () => {
      live = false;
      changes.removeEventListener('change', read);
    };
  }, []);
  const save = useCallback((s: ProxySettings | null) => saveProxySettings(s), []);
  return { ...state, save };
}
