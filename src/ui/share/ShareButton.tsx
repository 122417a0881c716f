import { useId, useState } from 'react';
import { SHARE_VERSION } from '../../schema/share.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import type { DataClient } from '../data/client.ts';
import { requiredSymbols } from '../data/symbols.ts';
import { encodeShareHash, MAX_ENCODED, SHARE_PREFIX } from './codec.ts';
import { snapshotData } from './data-check.ts';

type State = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; url: string; copied: boolean } | { kind: 'error'; message: string };

/** Builds the link for a document plus this device's data description and fingerprint. */
export async function buildShareUrl(doc: StrategyDocument, data: DataClient | null, base = window.location.href): Promise<string> {
  const symbols = requiredSymbols(doc);
  const snap = data
    ? await snapshotData(data, symbols, doc.settings.timeframe)
    : { data: { symbols, timeframe: doc.settings.timeframe, from: null, to: null, rows: 0, source: '', missing: symbols }, fingerprint: null };
  const hash = encodeShareHash({ v: SHARE_VERSION, doc, data: snap.data, fingerprint: snap.fingerprint });
  if (hash.length - SHARE_PREFIX.length > MAX_ENCODED) throw new Error(`the document is too large for a link (over ${MAX_ENCODED / 1024} KB compressed)`);
  return new URL(hash, base).href;
}

/**
 * "Copy link": the strategy, its data description and fingerprint in the URL hash, put on the clipboard
 * and shown (the clipboard can be refused; the shown link can still be copied by hand).
 */
export function ShareButton({ doc, data }: { doc: StrategyDocument | null; data: DataClient | null }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const linkId = useId();
  const copy = async () => {
    if (!doc) return;
    setState({ kind: 'working' });
    try {
      const url = await buildShareUrl(doc, data);
      const copied = await navigator.clipboard.writeText(url).then(() => true, () => false);
      setState({ kind: 'done', url, copied });
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div className="share">
      <button type="button" disabled={!doc || state.kind === 'working'} onClick={() => void copy()} title={doc ? undefined : 'Fix the document first'}>
        {state.kind === 'working' ? 'Preparing link…' : 'Copy link'}
      </button>
      {state.kind === 'done' && (
        <>
          <span role="status" className="muted">{state.copied ? 'Link copied.' : 'Copy the link below.'}</span>
          <label className="sr-only" htmlFor={linkId}>Shareable link</label>
          <input id={linkId} className="share-url" type="text" readOnly value={state.url} onFocus={(e) => e.currentTarget.select()} />
        </>
      )}
      {state.kind === 'error' && <span role="alert" className="field-error">Link failed: {state.message}</span>}
    </div>
  );
}
