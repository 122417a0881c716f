import { useEffect, useState, type FormEvent } from 'react';
import type { AlpacaConnection, DeploymentRecord, DeployRequest } from '../../live/browser/service.ts';
import type { RiskGuards } from '../../live/guards.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import { useProxySettings, type ProxySettings } from '../settings/proxy-settings.ts';
import { clampPoll, RATE_LIMITS } from '../../lib/poll-floor.ts';
import type { LiveClient } from './client.ts';
import { loadKeys, saveKeys, type BrokerKeys, type KeyKind } from './credentials.ts';

type Mode = DeploymentRecord['mode'];

/** Practice replay speeds: milliseconds between timestamps. */
export const SPEEDS: { label: string; ms: number }[] = [
  { label: 'as fast as it goes', ms: 0 },
  { label: '20 bars a second', ms: 50 },
  { label: '4 bars a second', ms: 250 },
  { label: '1 bar a second', ms: 1000 },
];

/** How to reach Alpaca from this device: the saved keys and the proxy of the Settings page. */
export function connectionOf(mode: Mode, keys: BrokerKeys | null, proxy: ProxySettings | null, useStreams = true): AlpacaConnection {
  if (!proxy) throw new Error('Set the broker proxy on the Settings page first: brokers do not accept calls from a browser.');
  if (!keys || !keys.keyId || !keys.secretKey) throw new Error(`Enter the Alpaca ${mode} key id and secret key.`);
  return { paper: mode === 'paper', keyId: keys.keyId, secretKey: keys.secretKey, proxyUrl: proxy.url, ...(proxy.token ? { proxyToken: proxy.token } : {}), useStreams };
}

const kindOf = (mode: Mode): KeyKind => (mode === 'live' ? 'alpaca-live' : 'alpaca-paper');

function numberOrUndefined(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!(n >= 0)) throw new Error(`"${s}" is not a number ≥ 0`);
  return n;
}

/** Deploys the current document to practice, Alpaca paper or Alpaca live (live needs the account named). */
export function DeployForm({ doc, client, onDeployed }: { doc: StrategyDocument | null; client: LiveClient; onDeployed: (r: DeploymentRecord) => void }) {
  const { settings: proxy } = useProxySettings();
  const [mode, setMode] = useState<Mode>('practice');
  const [speed, setSpeed] = useState(50);
  const [pollSec, setPollSec] = useState('60');
  const [streams, setStreams] = useState(true);
  const [keys, setKeys] = useState<BrokerKeys>({ keyId: '', secretKey: '' });
  const [guards, setGuards] = useState({ notional: '', orders: '', loss: '' });
  const [account, setAccount] = useState<{ id: string; cash: number } | null>(null);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    setAccount(null);
    setConfirm('');
    setError(null);
    if (mode === 'practice') return;
    let live = true;
    loadKeys(kindOf(mode)).then((k) => live && setKeys(k ?? { keyId: '', secretKey: '' }), () => undefined);
    return () => { live = false; };
  }, [mode]);

  const connection = () => connectionOf(mode, keys, proxy, streams);
  // The broker's rate limit sets the shortest interval: a shorter one is raised to it, and the form says why.
  const poll = clampPoll(Math.max(1, Number(pollSec) || 60) * 1000, RATE_LIMITS[mode === 'live' ? 'alpaca-live' : 'alpaca-paper'], doc?.settings.universe.length ?? 1);

  const checkAccount = async () => {
    setError(null);
    setBusy(true);
    try {
      const a = await client.account(connection());
      setAccount({ id: a.id, cash: a.cash });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setNote(null);
    if (!doc) {
      setError('The strategy has errors: fix it on the Strategy page first.');
      return;
    }
    setBusy(true);
    try {
      const g: RiskGuards = {};
      const n = numberOrUndefined(guards.notional), o = numberOrUndefined(guards.orders), l = numberOrUndefined(guards.loss);
      if (n !== undefined) g.maxOrderNotional = n;
      if (o !== undefined) g.maxOrdersPerDay = o;
      if (l !== undefined) g.maxDailyLoss = l;
      const req: DeployRequest = { doc, mode, guards: g, intervalMs: mode === 'practice' ? speed : poll.ms };
      if (mode !== 'practice') {
        req.connection = connection();
        if (mode === 'live') req.confirmAccount = confirm.trim();
        await saveKeys(kindOf(mode), keys);
      }
      const r = await client.deploy(req);
      setNote(`Deployed "${r.name}" to ${mode}.`);
      onDeployed(r);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const liveReady = mode !== 'live' || (account !== null && confirm.trim() === account.id);

  return (
    <form className="live-deploy" onSubmit={onSubmit} aria-labelledby="h-deploy">
      <h2 id="h-deploy">Deploy {doc ? <q>{doc.name}</q> : 'the current strategy'}</h2>
      <fieldset>
        <legend>Where</legend>
        {(['practice', 'paper', 'live'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="live-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />{' '}
            {m === 'practice' ? 'Practice (simulated broker on the embedded data, no account)' : m === 'paper' ? 'Alpaca paper' : 'Alpaca live (real money)'}
          </label>
        ))}
      </fieldset>
      {mode === 'practice' ? (
        <label>
          Replay speed{' '}
          <select aria-label="Replay speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => <option key={s.ms} value={s.ms}>{s.label}</option>)}
          </select>
        </label>
      ) : (
        <fieldset>
          <legend>Alpaca {mode} account</legend>
          {proxy ? <p className="muted">Through the proxy {proxy.url}{proxy.token ? ' (with its token)' : ''}.</p>
            : <p role="alert" className="field-error">No broker proxy: set one on the <a href="#/settings">Settings</a> page (brokers do not accept calls from a browser).</p>}
          <label>Key id <input autoComplete="off" value={keys.keyId} onChange={(e) => setKeys({ ...keys, keyId: e.target.value })} /></label>
          <label>Secret key <input type="password" autoComplete="off" value={keys.secretKey} onChange={(e) => setKeys({ ...keys, secretKey: e.target.value })} /></label>
          <p className="muted">Kept on this device only (IndexedDB), never in a share link, a log or the deployment's journal.{' '}
            <button type="button" onClick={() => { void saveKeys(kindOf(mode), null); setKeys({ keyId: '', secretKey: '' }); }}>Forget the keys</button>
          </p>
          <label>Poll the broker every <input inputMode="numeric" size={4} value={pollSec} onChange={(e) => setPollSec(e.target.value)} /> s</label>
          <p className="muted" data-testid="poll-floor" role={poll.clamped ? 'status' : undefined}>
            {poll.clamped ? `Polls every ${poll.ms / 1000} s, not ${pollSec.trim()} s: ` : 'Shortest interval: '}{poll.reason}.
          </p>
          <label><input type="checkbox" checked={streams} onChange={(e) => setStreams(e.target.checked)} /> Stream order updates and minute bars (WebSocket through the proxy; REST polling when off or when a stream fails)</label>
          {mode === 'live' && (
            <div className="live-confirm">
              <button type="button" onClick={checkAccount} disabled={busy}>Check the account</button>
              {account && (
                <label>
                  This trades real money on account <b>{account.id}</b>. Type the account number to confirm:{' '}
                  <input aria-label="Confirm the account number" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
                </label>
              )}
            </div>
          )}
        </fieldset>
      )}
      <fieldset>
        <legend>Risk guards (empty: no limit)</legend>
        <label>Max order notional <input inputMode="decimal" size={8} value={guards.notional} onChange={(e) => setGuards({ ...guards, notional: e.target.value })} /></label>
        <label>Max orders a day <input inputMode="numeric" size={4} value={guards.orders} onChange={(e) => setGuards({ ...guards, orders: e.target.value })} /></label>
        <label>Max daily loss <input inputMode="decimal" size={8} value={guards.loss} onChange={(e) => setGuards({ ...guards, loss: e.target.value })} /></label>
      </fieldset>
      <button type="submit" disabled={busy || !doc || !liveReady}>{mode === 'practice' ? 'Deploy to practice' : mode === 'paper' ? 'Deploy to paper' : 'Deploy live'}</button>
      {error && <p role="alert" className="field-error">{error}</p>}
      {note && <p role="status" className="good">{note}</p>}
    </form>
  );
}
