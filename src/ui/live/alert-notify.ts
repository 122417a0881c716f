import type { SignalEvent } from '../../schema/index.ts';

/** What of the browser's Notification API the page uses (injected in tests). */
export interface NotifierApi {
  permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): unknown;
}

export const browserNotifier = (): NotifierApi | null =>
  typeof globalThis.Notification === 'function' ? (globalThis.Notification as unknown as NotifierApi) : null;

/**
 * Raises one browser notification per alert signal newer than `since` (when permitted) and returns the time to
 * remember. The first call of a view passes `since = null`: it only returns the newest time, so a reload does not
 * replay the alerts of the deployment's history.
 */
export function notifyAlerts(name: string, signals: readonly SignalEvent[], since: number | null, api: NotifierApi | null): number {
  let newest = since ?? -Infinity;
  const fresh: SignalEvent[] = [];
  for (const s of signals) {
    if (s.action === 'alert' && since !== null && s.time > since) fresh.push(s);
    if (s.time > newest) newest = s.time;
  }
  if (api?.permission !== 'granted' || fresh.length === 0) return newest;
  // A fast replay can bring hundreds at once: the last few, and one line for the rest, not a flood.
  const shown = fresh.slice(-MAX_PER_UPDATE);
  if (fresh.length > shown.length) new api(`${name}: ${fresh.length - shown.length} more alerts`, { body: 'See the Signals list on the Live page.', tag: `${name} more` });
  for (const s of shown) {
    // The tag makes a repeated delivery of the same alert replace, not stack.
    new api(`${name}: ${s.strategyId}`, { body: s.message ?? 'alert', tag: `${name} ${s.strategyId} ${s.time}` });
  }
  return newest;
}

/** Notifications raised for one snapshot at most (plus one that counts the rest). */
export const MAX_PER_UPDATE = 3;
