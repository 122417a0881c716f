import { useCallback, useEffect, useRef, useState } from 'react';
import type { SchemaError } from '../../schema/index.ts';
import type { DataClient } from '../data/client.ts';
import type { Draft } from '../doc/draft.ts';
import { decodeShareHash, isShareHash } from './codec.ts';
import type { SharePayload } from '../../schema/share.ts';
import { withoutSettingDefaults } from './defaults.ts';
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
 * `ready` stores the embedded sample data first, so a first visit through a link compares against them;
 * `recheck` compares again (after a run, which may have stored data).
 */
export function useShareLink(set: (doc: Draft, tag?: string) => void, data: DataClient | null, ready?: () => Promise<void>) {
  const [state, setState] = useState<LinkState>({ kind: 'none' });
  const opened = useRef<SharePayload | null>(null);
  const compare = useRef<(() => void) | null>(null);
  useEffect(() => {
    let alive = true;
    const check = (payload: SharePayload) => {
      if (!data) return;
      setState({ kind: 'opened', name: payload.doc.name, check: { kind: 'checking' } });
      (ready ? ready().catch(() => undefined) : Promise.resolve())
        .then(() => snapshotData(data, payload.data.symbols, payload.data.timeframe))
        .then(
          (mine) => {
            if (!alive || opened.current !== payload) return;
            let result: DataCheck;
            try {
              const v = compareData({ data: payload.data, fingerprint: payload.fingerprint }, mine);
              result = v.match ? { kind: 'match' } : { kind: 'differ', reasons: v.reasons };
            } catch (e) {
              // The banner must always leave "Checking your data…", whatever the link carried.
              result = { kind: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
            }
            setState({ kind: 'opened', name: payload.doc.name, check: result });
          },
          (e: unknown) => {
            if (alive && opened.current === payload) setState({ kind: 'opened', name: payload.doc.name, check: { kind: 'unavailable', reason: e instanceof Error ? e.message : String(e) } });
          },
        );
    };
    compare.current = () => {
      if (opened.current) check(opened.current);
    };
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
      opened.current = payload;
      // Settings equal to the schema's defaults stay unset, so the form keeps its hints instead of bare zeros.
      set(withoutSettingDefaults(payload.doc), 'link');
      if (!data) {
        setState({ kind: 'opened', name: payload.doc.name, check: { kind: 'unavailable', reason: 'no data store in this build' } });
        return;
      }
      check(payload);
    };
    open();
    window.addEventListener('hashchange', open);
    return () => {
      alive = false;
      window.removeEventListener('hashchange', open);
    };
  }, [set, data, ready]);
  const dismiss = useCallback(() => {
    opened.current = null;
    setState({ kind: 'none' });
  }, []);
  const recheck = useCallback(() => compare.current?.(), []);
  return { state, dismiss, recheck };
}
