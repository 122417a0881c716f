import { useCallback, useEffect, useState } from 'react';
import type { SchemaError } from '../../schema/index.ts';
import type { DataClient } from '../data/client.ts';
import type { Draft } from '../doc/draft.ts';
import { decodeShareHash, isShareHash } from './codec.ts';
import { compareData, snapshotData } from './data-check.ts';

export type DataCheck =
  | { kind: 'checking' }
  | { kind: 'match' }
  | { kind: 'differ'; reasons: string[] }
  | { kind: 'unavailable'; reason: string };

export type LinkState =
  | { kind: 'none' }
  | { kind: 'opened'; name: string; check: DataCheck }
  | { kind: 'refused'; message: string; errors: readonly SchemaError[] };

/**
 * Opens `#/s/…` links, on load and when one is pasted into the address bar. A valid link becomes a new
 * undoable edit; an invalid one only produces an error: the open document, the saved draft and the data
 * store are untouched. The hash is replaced so a reload does not re-apply the link over later edits.
 */
export function useShareLink(set: (doc: Draft, tag?: string) => void, data: DataClient | null) {
  const [state, setState] = useState<LinkState>({ kind: 'none' });
  useEffect(() => {
    let alive = true;
    const open = () => {
      const hash = window.location.hash;
      if (!isShareHash(hash)) return;
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/strategy`);
      const r = decodeShareHash(hash);
      if (!r.ok) {
        setState({ kind: 'refused', message: r.error.message, errors: r.error.errors });
        return;
      }
      const { payload } = r;
      set(payload.doc, 'link');
      if (!data) {
        setState({ kind: 'opened', name: payload.doc.name, check: { kind: 'unavailable', reason: 'no data store in this build' } });
        return;
      }
      setState({ kind: 'opened', name: payload.doc.name, check: { kind: 'checking' } });
      snapshotData(data, payload.data.symbols, payload.data.timeframe).then(
        (mine) => {
          if (!alive) return;
          let check: DataCheck;
          try {
            const v = compareData({ data: payload.data, fingerprint: payload.fingerprint }, mine);
            check = v.match ? { kind: 'match' } : { kind: 'differ', reasons: v.reasons };
          } catch (e) {
            // The banner must always leave "Checking your data…", whatever the link carried.
            check = { kind: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
          }
          setState({ kind: 'opened', name: payload.doc.name, check });
        },
        (e: unknown) => {
          if (alive) setState({ kind: 'opened', name: payload.doc.name, check: { kind: 'unavailable', reason: e instanceof Error ? e.message : String(e) } });
        },
      );
    };
    open();
    window.addEventListener('hashchange', open);
    return () => {
      alive = false;
      window.removeEventListener('hashchange', open);
    };
  }, [set, data]);
  const dismiss = useCallback(() => setState({ kind: 'none' }), []);
  return { state, dismiss };
}
