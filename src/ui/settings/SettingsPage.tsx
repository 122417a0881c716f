import { useEffect, useState, type FormEvent } from 'react';
import { checkProxyUrl } from '../../lib/proxy-url.ts';
import { useProxySettings, type ProxySettings } from './proxy-settings.ts';
import { testProxyConnection, type ConnectionCheck } from './test-connection.ts';

function CheckResult({ check }: { check: ConnectionCheck }) {
  if (!check.ok) return <p role="alert" className="field-error" data-testid="proxy-check">{check.message}</p>;
  const h = check.health;
  return (
    <div data-testid="proxy-check">
      <p className={check.problems.length ? 'warn' : 'good'}>
        Connected: {h.mode} mode, {h.routes.length} routes ({h.routes.join(', ')}).
      </p>
      {check.problems.map((p) => <p key={p} className="warn">{p}</p>)}
    </div>
  );
}

/** The device's settings: today the broker proxy that live trading and plain-English strategies go through. */
export default function SettingsPage() {
  const { settings, loading, save } = useProxySettings();
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    if (loading) return;
    setUrl(settings?.url ?? '');
    setToken(settings?.token ?? '');
  }, [loading, settings]);

  const urlCheck = url.trim() === '' ? null : checkProxyUrl(url);
  const current = (): ProxySettings | null => (urlCheck?.ok ? { url: urlCheck.url, ...(token ? { token } : {}) } : null);

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    setError(null);
    const s = current();
    if (!s) {
      setError(urlCheck && !urlCheck.ok ? urlCheck.error : 'Enter the proxy URL first.');
      return;
    }
    try {
      await save(s);
      setStatus('Saved on this device.');
    } catch (err) {
      setError(`Not saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const onForget = async () => {
    setStatus(null);
    setError(null);
    setCheck(null);
    await save(null);
    setUrl('');
    setToken('');
    setStatus('Proxy settings removed from this device.');
  };
  const onTest = async () => {
    const s = current();
    if (!s) return;
    setTesting(true);
    setCheck(await testProxyConnection(s));
    setTesting(false);
  };

  return (
    <div className="settings-page">
      <section className="panel" aria-labelledby="h-proxy">
        <h2 id="h-proxy">Broker proxy</h2>
        <p className="muted">
          Brokers and most LLM providers refuse calls from a web page, so live trading and plain-English strategies go
          through a proxy you run (<code>npm run proxy</code>, or the Cloudflare Worker in docs/PROXY.md). These settings stay
          on this device; they are never part of a share link.
        </p>
        {loading ? (
          <p role="status" className="muted">Loading settings…</p>
        ) : (
          <form onSubmit={onSave} className="proxy-form">
            <label>
              Proxy URL{' '}
              <input type="url" name="proxy-url" value={url} placeholder="http://127.0.0.1:8787" spellCheck={false}
                aria-invalid={urlCheck !== null && !urlCheck.ok} onChange={(e) => { setUrl(e.target.value); setCheck(null); setStatus(null); }} />
            </label>
            {urlCheck && !urlCheck.ok && <p className="field-error" data-testid="url-error">{urlCheck.error}</p>}
            <label>
              Token (vault mode only){' '}
              <input type="password" name="proxy-token" value={token} autoComplete="off" spellCheck={false}
                onChange={(e) => { setToken(e.target.value); setCheck(null); setStatus(null); }} />
            </label>
            <div className="inline">
              <button type="submit" className="primary" disabled={!urlCheck?.ok}>Save</button>
              <button type="button" onClick={() => void onTest()} disabled={!urlCheck?.ok || testing}>
                {testing ? 'Testing…' : 'Test connection'}
              </button>
              <button type="button" onClick={() => void onForget()} disabled={settings === null}>Forget</button>
            </div>
            {status && <p role="status" className="good">{status}</p>}
            {error && <p role="alert" className="field-error">{error}</p>}
            {check && <CheckResult check={check} />}
          </form>
        )}
      </section>
    </div>
  );
}
