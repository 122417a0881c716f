import { useCallback, useEffect, useRef, useState } from 'react';
import type { BrokerConnection, DeploymentRecord, LiveSnapshot } from '../../live/browser/service.ts';
import { KEY_KINDS, loadKeys, type KeyKind } from '../../lib/broker-keys.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import { formatTime } from '../results/format.ts';
import { loadProxySettings } from '../settings/proxy-settings.ts';
import { liveClient, onLiveChange, type LiveClient } from './client.ts';
import { connectionOf, DeployForm } from './DeployForm.tsx';
import { DeploymentView } from './DeploymentView.tsx';
import './live.css';

const SELECTED = 'live.selected';

/** A paper/live deployment reopens with the keys saved on this device for its account kind and the current proxy settings. */
async function connectionFor(r: DeploymentRecord): Promise<BrokerConnection | undefined> {
  if (r.mode === 'practice') return undefined;
  const kind = (KEY_KINDS as readonly string[]).includes(r.broker) ? r.broker as KeyKind : r.mode === 'live' ? 'alpaca-live' : 'alpaca-paper';
  return connectionOf(kind, await loadKeys(kind), await loadProxySettings(), r.streams !== false);
}

/**
 * The Live page (#/live): deploy the current document to practice, Alpaca paper or Alpaca live, and watch and
 * steer each deployment. Deployments are journaled in IndexedDB by the live worker; on a reload the ones that
 * were running are reopened from their journals and go on.
 */
export default function LivePage({ doc, client: given }: { doc: StrategyDocument | null; client?: LiveClient }) {
  const [client] = useState(() => given ?? liveClient());
  const [list, setList] = useState<DeploymentRecord[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [snap, setSnap] = useState<LiveSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef(false);

  const refreshList = useCallback(async () => setList(await client.list()), [client]);

  // Reopen what was running when the page went away, then show the last deployment looked at.
  useEffect(() => {
    let live = true;
    (async () => {
      const all = await client.list();
      const problems: string[] = [];
      for (const r of all.filter((x) => x.state === 'running')) {
        try {
          await client.attach(r.id, await connectionFor(r));
        } catch (e) {
          problems.push(`${r.name} (${r.mode}) could not be reopened: ${(e as Error).message}`);
        }
      }
      if (!live) return;
      setList(await client.list());
      if (problems.length) setError(problems.join(' '));
      const last = localStorage.getItem(SELECTED);
      setSelected(all.some((r) => r.id === last) ? last : all[0]?.id ?? null);
    })().catch((e: unknown) => live && setError((e as Error).message));
    return () => { live = false; };
  }, [client]);

  useEffect(() => {
    setSnap(null);
    if (!selected) return;
    localStorage.setItem(SELECTED, selected);
    let live = true;
    const record = list?.find((r) => r.id === selected);
    (async () => {
      const s = await client.attach(selected, record ? await connectionFor(record) : undefined);
      if (live) setSnap(s);
    })().catch((e: unknown) => live && setError((e as Error).message));
    const off = onLiveChange((id) => {
      if (id !== selected || pending.current) return;
      pending.current = true;
      setTimeout(() => {
        client.snapshot(selected).then((s) => {
          pending.current = false;
          if (live) setSnap(s);
        }, () => { pending.current = false; });
      }, 100);
    });
    return () => { live = false; off(); };
  }, [client, selected]); // the list changes with every state change; reopening depends on the id only

  useEffect(() => {
    if (snap && list && list.find((r) => r.id === snap.record.id)?.state !== snap.record.state) void refreshList();
  }, [snap, list, refreshList]);

  return (
    <div className="live-page">
      <h1>Live</h1>
      <p className="muted">
        The same strategy, unchanged, on a simulated broker or at Alpaca, Tradier or TradeStation: orders are sized at the signal bar's close and
        every step is written to this device's storage before any order is sent.
      </p>
      {error && <p role="alert" className="field-error">{error}</p>}
      <DeployForm doc={doc} client={client} onDeployed={(r) => { void refreshList(); setSelected(r.id); }} />
      <section aria-labelledby="h-deployments">
        <h2 id="h-deployments">Deployments</h2>
        {list === null ? <p role="status" className="muted">Loading…</p> : list.length === 0 ? <p className="muted">None yet.</p> : (
          <ul className="live-list">
            {list.map((r) => (
              <li key={r.id}>
                <button className="link" aria-current={r.id === selected ? 'true' : undefined} onClick={() => setSelected(r.id)}>
                  {r.name} — {r.mode}, {r.state}, created {formatTime(r.createdAt)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {snap && <DeploymentView key={snap.record.id} snap={snap} client={client} onRemoved={() => { setSelected(null); void refreshList(); }} />}
    </div>
  );
}
