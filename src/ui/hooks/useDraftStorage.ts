import { useEffect } from 'react';
import { isRecord, type Draft } from '../doc/draft.ts';

const KEY = 'backtester.draft.v1';

/** The last edited document survives a reload; only a first visit opens the default template. */
export function loadDraft(): Draft | null {
  try {
    const text = localStorage.getItem(KEY);
    if (text === null) return null;
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? (value as Draft) : null;
  } catch {
    return null;
  }
}

export function useDraftStorage(doc: Draft | null): void {
  useEffect(() => {
    if (doc === null) return;
    try {
      localStorage.setItem(KEY, JSON.stringify(doc));
    } catch {
      // Quota or privacy mode: the draft simply does not persist.
    }
  }, [doc]);
}

export function clearDraft(): void {
  localStorage.removeItem(KEY);
}
