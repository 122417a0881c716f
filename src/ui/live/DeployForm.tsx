import { useEffect, useState, type FormEvent } from 'react';
import type { BrokerConnection, DeploymentRecord, DeployRequest } from '../../live/browser/service.ts';
import type { RiskGuards } from '../../live/guards.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import { loadKeys, saveKeys, type BrokerKeys, type KeyKind } from '../../lib/broker-keys.ts';
import { clampPoll, RATE_LIMITS } from '../../lib/poll-floor.ts';
import { useProxySettings, type ProxySettings } from '../settings/proxy-settings.ts';
import type { LiveClient } from './client.ts';

type Mode = DeploymentRecord['mode'];

/** Where a deployment goes: practice (no account) or one broker account kind. */
export type Target = 'practice' | KeyKind;

/** Practice replay speeds: milliseconds between timestamps. */
export const SPEEDS: { label: string; ms: number }[] = [
  { label: 'as fast as it goes', ms: 0 },
  { label: '20 bars a second', ms: 50 },
  { label: '4 bars a second', ms: 250 },
  { label: '1 bar a second', ms: 1000 },
];

const TARGETS: { target: Target; label: string }[] = [
  { target: 'practice', label: 'Practice (simulated broker, no account)' },
  { target: 'alpaca-paper', label: 'Alpaca paper' },
  { target: 'alpaca-live', label: 'Alpaca live (real money)' },
  { target: 'tradier-sandbox', label: 'Tradier sandbox' },
  { target: 'tradier-live', label: 'Tradier live (real money)' },
  { target: 'tradestation-sim', label: 'TradeStation simulator' },
  { target: 'tradestation-live', label: 'TradeStation live (real money)' },
];

/** The fields each broker's keys have, as the form shows them (secret ones masked). */
const FIELDS: Record<'alpaca' | 'tradier' | 'tradestation', { key: string; label: string; secret: boolean }[]> = {
  alpaca: [{ key: 'keyId', label: 'Key id', secret: false }, { key: 'secretKey', label: 'Secret key', secret: true }],
  tradier: [{ key: 'accountId', label: 'Account number', secret: false }, { key: 'token', label: 'Access token', secret: true }],
  tradestation: [{ key: 'accountId', label: 'Account number', secret: false }, { key: 'refreshToken', label: 'Refresh token', secret: true }],
};

export const brokerOfKind = (k: KeyKind): 'alpaca' | 'tradier' | 'tradestation' => (k.startsWith('tradier') ? 'tradier' : k.startsWith('tradestation') ? 'tradestation' : 'alpaca');
export const modeOf = (t: Target): Mode => (t === 'practice' ? 'practice' : t.endsWith('-live') ? 'live' : 'paper');
const labelOf = (t: Target) => TARGETS.find((x) => x.target === t)!.label.replace(' (real money)', '');

/**
 * How to reach a broker account from this device: the saved keys and the proxy of the Settings page. With a
 * vault-mode proxy (a token set) Tradier's token and TradeStation's refresh token may stay in the proxy.
 */
export function connectionOf(kind: KeyKind, keys: BrokerKeys | null, proxy: ProxySettings | null, useStreams = true): BrokerConnection {
  if (!proxy) throw new Error('Set the broker proxy on the Settings page first: brokers do not accept calls from a browser.');
  const k = keys ?? {};
  const via = { proxyUrl: proxy.url, ...(proxy.token ? { proxyToken: proxy.token } : {}) };
  const broker = brokerOfKind(kind);
  const live = kind.endsWith('-live');
  const missing = FIELDS[broker].filter((f) => !k[f.key] && !(f.secret && broker !== 'alpaca' && proxy.token)).map((f) => f.label.toLowerCase());
  if (missing.length) throw new Error(`Enter the ${labelOf(kind)} ${missing.join(' and ')}.`);
  if (broker === 'tradier') return { broker, sandbox: !live, token: k.token ?? '', accountId: k.accountId!, ...via };
  if (broker === 'tradestation') return { broker, sim: !live, accountId: k.accountId!, ...(k.refreshToken ? { refreshToken: k.refreshToken } : {}), ...via };
  return { broker, paper: !live, keyId: k.keyId!, secretKey: k.secretKey!, useStreams, ...via };
}

function numberOrUndefined(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!(n >= 0)) throw new Error(`"${s}" is not a number ≥ 0`);
  return n;
}

/** Deploys the current document to practice or to a broker account (live names the account first, at every broker). */
export function DeployForm({ doc, client, onDeployed }: { doc: StrategyDocument | null; client: LiveClient; onDeployed: (r: DeploymentRecord) => void }) {
  const { settings: proxy } = useProxySettings();
  const [target, setTarget] = useState<Target>('practice');
  const [speed, setSpeed] = useState(50);
  const [pollSec, setPollSec] = useState('60');
  const [streams, setStreams] = useState(true);
  const [keys, setKeys] = useState<BrokerKeys>({});
  const [guards, setGuards] = useState({ notional: '', orders: '', loss: '' });
  const [account, setAccount] = useState<{ id: string; cash: number } | null>(null);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const mode = modeOf(target);
  const broker = target === 'practice' ? null : brokerOfKind(target);

  useEffect(() => {
    setAccount(null);
    setConfirm('');
    setError(null);
    setKeys({});
    if (target === 'practice') return;
    let live = true;
    // Saved keys fill the form unless the user has already typed into it (the read is asynchronous).
    loadKeys(target).then((k) => live && setKeys((cur) => (Object.values(cur).some((v) => v !== '') ? cur : k ?? {})), () => undefined);
    return () => { live = false; };
  }, [target]);

  const connection = () => connectionOf(target as KeyKind, keys, proxy, streams);
  // The broker's rate limit sets the shortest interval: a shorter one is raised to it, and the form says why.
  const poll = clampPoll(Math.max(1, Number(pollSec) || 60) * 1000, target === 'practice' ? null : RATE_LIMITS[target], doc?.settings.universe.length ?? 1);

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
      if (target !== 'practice') {
        req.connection = connection();
        if (mode === 'live') req.confirmAccount = confirm.trim();
        await saveKeys(target, keys);
      }
      const r = await client.deploy(req);
      setNote(`Deployed "${r.name}" to ${target === 'practice' ? 'practice' : labelOf(target)}.`);
      onDeployed(r);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const liveReady = mode !== 'live' || (account !== null && confirm.trim() === account.id);
  const vault = !!proxy?.token;

  return (
    <form className="live-deploy" onSubmit={onSubmit} aria-labelledby="h-deploy">
      <h2 id="h-deploy">Deploy {doc ? <q>{doc.name}</q> : 'the current strategy'}</h2>
      <fieldset>
        <legend>Where</legend>
        {TARGETS.map((t) => (
          <label key={t.target}>
            <input type="radio" name="live-mode" value={t.target} checked={target === t.target} onChange={() => setTarget(t.target)} /> {t.label}
          </label>
        ))}
      </fieldset>
      {target === 'practice' || broker === null ? (
        <label>
          Replay speed{' '}
          <select aria-label="Replay speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => <option key={s.ms} value={s.ms}>{s.label}</option>)}
          </select>
        </label>
      ) : (
        <fieldset>
          <legend>{labelOf(target)} account</legend>
          {proxy ? <p className="muted">Through the proxy {proxy.url}{proxy.token ? ' (with its token)' : ''}.</p>
            : <p role="alert" className="field-error">No broker proxy: set one on the <a href="#/settings">Settings</a> page (brokers do not accept calls from a browser).</p>}
          {FIELDS[broker].map((f) => (
            <label key={f.key}>{f.label}{' '}
              <input type={f.secret ? 'password' : 'text'} autoComplete="off" value={keys[f.key] ?? ''} onChange={(e) => setKeys({ ...keys, [f.key]: e.target.value })} />
            </label>
          ))}
          {broker === 'tradestation' && (
            <p className="muted">OAuth 2 through the proxy: the proxy adds the API key&apos;s client id and secret when the refresh token is exchanged for access tokens (relay mode){vault ? ', or holds your refresh token as well (vault mode: leave it empty)' : ''}. The secret never reaches this page; a refresh token TradeStation rotates is saved here in place of the old one.</p>
          )}
          {broker === 'tradier' && vault && <p className="muted">The proxy has a token (vault mode): leave the access token empty if the proxy holds it.</p>}
          <p className="muted">Kept on this device only (IndexedDB), never in a share link, a log, an error message or the deployment&apos;s journal.{' '}
            <button type="button" onClick={() => { void saveKeys(target, null); setKeys({}); }}>Forget the keys</button>
          </p>
          <label>Poll the broker every <input inputMode="numeric" size={4} value={pollSec} onChange={(e) => setPollSec(e.target.value)} /> s</label>
          <p className="muted" data-testid="poll-floor" role={poll.clamped ? 'status' : undefined}>
            {poll.clamped ? `Polls every ${poll.ms / 1000} s, not ${pollSec.trim()} s: ` : 'Shortest interval: '}{poll.reason}.
          </p>
          {broker === 'alpaca' && <label><input type="checkbox" checked={streams} onChange={(e) => setStreams(e.target.checked)} /> Stream order updates and minute bars (WebSocket through the proxy; REST polling when off or when a stream fails)</label>}
          {mode === 'live' && (
            <div className="live-confirm">
              <button type="button" onClick={checkAccount} disabled={busy}>Check the account</button>
              {account && (
                <label>
                  This trades real money on {labelOf(target)} account <b>{account.id}</b>. Type the account number to confirm:{' '}
                  <input aria-label="Confirm the account number" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
                </label>
              )}
            </div>
          )}
        </fieldset>
      )}
      <fieldset className="live-guards">
        <legend>Risk guards (empty: no limit)</legend>
        <label>Max order notional <input inputMode="decimal" size={8} value={guards.notional} onChange={(e) => setGuards({ ...guards, notional: e.target.value })} /></label>
        <label>Max orders a day <input inputMode="numeric" size={4} value={guards.orders} onChange={(e) => setGuards({ ...guards, orders: e.target.value })} /></label>
        <label>Max daily loss <input inputMode="decimal" size={8} value={guards.loss} onChange={(e) => setGuards({ ...guards, loss: e.target.value })} /></label>
      </fieldset>
      <button type="submit" disabled={busy || !doc || !liveReady}>{mode === 'practice' ? 'Deploy to practice' : mode === 'paper' ? `Deploy to ${labelOf(target)}` : 'Deploy live'}</button>
      {error && <p role="alert" className="field-error">{error}</p>}
      {note && <p role="status" className="good">{note}</p>}
    </form>
  );
}
