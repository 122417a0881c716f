import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { KnownData } from '../../llm/checks.ts';
import type { ProgressEvent } from '../../llm/pipeline.ts';
import type { LlmOutcome } from '../../llm/service.ts';
import type { AttemptRecord } from '../../llm/attempts.ts';
import type { ProviderConfig } from '../../llm/types.ts';
import { parseDocument } from '../../schema/index.ts';
import type { DataClient } from '../data/client.ts';
import type { Draft } from '../doc/draft.ts';
import { useProxySettings } from '../settings/proxy-settings.ts';
import { AttemptLog } from './AttemptLog.tsx';
import { workerLlmClient, type LlmClient } from './client.ts';
import { EMPTY_SETTINGS, HowToConfigure, missing, ProviderForm } from './ProviderForm.tsx';
import { Proposal } from './Proposal.tsx';
import { appendAttemptLog, loadLlmSettings, saveLlmSettings, type LlmSettings } from './store.ts';
import './llm.css';

export interface LlmPanelProps {
  /** The document in the editor (may be invalid). */
  doc: Draft;
  /** Applies an accepted proposal through the document history, so Undo reverts it. */
  onAccept(doc: Draft): void;
  /** The data catalog (symbols and timeframes stored on this device); the worker adds the embedded series. */
  data?: Pick<DataClient, 'list'> | null;
  client?: LlmClient;
}

type TaskView = Extract<ProgressEvent, { type: 'task' }>;

async function catalogOf(data: Pick<DataClient, 'list'>): Promise<KnownData> {
  const timeframes: Record<string, string[]> = {};
  for (const d of await data.list()) if (d.kind === 'bars' && d.symbol) (timeframes[d.symbol] ??= []).push(d.key);
  return { symbols: Object.keys(timeframes), timeframes };
}

const STATE_WORDS: Record<TaskView['state'], string> = { waiting: 'waiting', running: 'writing', retrying: 'fixing', done: 'done', failed: 'failed' };

function configOf(s: LlmSettings, proxy: { url: string; token?: string } | null): ProviderConfig {
  return {
    provider: s.provider,
    model: s.model,
    escalateModel: s.escalateModel || undefined,
    ...(s.viaProxy ? { proxy } : { baseUrl: s.baseUrl || undefined, apiKey: s.apiKey || undefined }),
    stream: s.stream,
  };
}

/** The "Describe in words" panel on the Strategy page (issue #15). Loaded lazily: it is not in the first bundle. */
export default function LlmPanel({ doc, onAccept, data = null, client = workerLlmClient }: LlmPanelProps) {
  const proxy = useProxySettings();
  const [settings, setSettings] = useState<LlmSettings | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'edit' | 'new'>('edit');
  const [running, setRunning] = useState(false);
  const [tasks, setTasks] = useState<Map<string, TaskView>>(new Map());
  const [records, setRecords] = useState<AttemptRecord[]>([]);
  const [outcome, setOutcome] = useState<{ result: LlmOutcome; current: Draft } | null>(null);
  const [accepted, setAccepted] = useState(false);
  const [logVersion, setLogVersion] = useState(0);
  const abort = useRef<AbortController | null>(null);
  // Open while unconfigured; once the user edits or toggles it, theirs to close (never collapses mid-typing).
  const [settingsOpen, setSettingsOpen] = useState<boolean | null>(null);

  useEffect(() => {
    let live = true;
    loadLlmSettings().then((s) => {
      if (!live) return;
      setSettings(s);
      setLoaded(true);
    }, () => live && setLoaded(true));
    return () => {
      live = false;
      abort.current?.abort();
    };
  }, []);

  const base = parseDocument(doc);
  const canEdit = base.ok;
  const effectiveMode = canEdit ? mode : 'new';
  const proxyUrl = proxy.settings?.url ?? null;
  const need = loaded ? missing(settings, proxyUrl) : null;

  const changeSettings = (s: LlmSettings) => {
    setSettingsOpen(true);
    setSettings(s);
    void saveLlmSettings(s);
  };

  const run = async () => {
    if (!settings || need || running || !text.trim()) return;
    const ctrl = new AbortController();
    abort.current = ctrl;
    setRunning(true);
    setTasks(new Map());
    setRecords([]);
    setOutcome(null);
    setAccepted(false);
    const current = doc;
    const log: AttemptRecord[] = [];
    try {
      const known = data ? await catalogOf(data).catch((): KnownData => ({ symbols: [] })) : { symbols: [] };
      // Edit mode works on the draft as written (not with defaults filled in), so the diff shows only the change.
      const input = { text, known, ...(effectiveMode === 'edit' && base.ok ? { base: current } : {}) };
      const result = await client.generate(input, configOf(settings, proxy.settings), current, (e) => {
        if (e.type === 'task') setTasks((m) => new Map(m).set(e.task, e));
        else {
          log.push(e.record);
          setRecords([...log]);
        }
      }, ctrl.signal);
      setRecords(result.attempts);
      setOutcome({ result, current });
      await appendAttemptLog({ time: performance.timeOrigin + performance.now(), mode: effectiveMode, ok: result.ok, records: result.attempts }).catch(() => undefined);
      setLogVersion((v) => v + 1);
    } catch (e) {
      const cancelled = e instanceof DOMException && e.name === 'AbortError';
      setOutcome({ result: { ok: false, error: cancelled ? 'Cancelled.' : `The plain-English worker failed: ${e instanceof Error ? e.message : String(e)}`, errors: [], unsupported: [], attempts: log }, current });
    } finally {
      setRunning(false);
      abort.current = null;
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void run();
    } else if (e.key === 'Escape' && running) abort.current?.abort();
  };

  const result = outcome?.result;
  return (
    <section className="panel llm" aria-labelledby="h-llm">
      <h2 id="h-llm">Describe in words</h2>
      {loaded && need && <HowToConfigure />}
      <details className="llm-settings" open={settingsOpen ?? (loaded && need !== null)} onToggle={(e) => {
        const open = e.currentTarget.open;
        if (open !== (settingsOpen ?? (loaded && need !== null))) setSettingsOpen(open);
      }}>
        <summary>Model provider{settings && !need ? `: ${settings.provider}${settings.model ? ` ${settings.model}` : ''}${settings.viaProxy ? ' via proxy' : ''}` : ''}</summary>
        <ProviderForm value={settings ?? EMPTY_SETTINGS} onChange={changeSettings} proxyUrl={proxyUrl} />
        {need && <p className="field-error">{need}</p>}
      </details>
      <form onSubmit={onSubmit} className="llm-form">
        <textarea
          aria-label="Describe the strategy or the change"
          rows={3}
          value={text}
          placeholder={effectiveMode === 'edit' ? 'e.g. make the slow average 50 days and only trade on Mondays' : 'e.g. buy SPX when RSI(14) drops below 30, sell when it rises above 70'}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="llm-row">
          <div role="radiogroup" aria-label="What to do" className="segmented">
            <label><input type="radio" name="llm-mode" checked={effectiveMode === 'edit'} disabled={!canEdit} onChange={() => setMode('edit')} /> Change the current document</label>
            <label><input type="radio" name="llm-mode" checked={effectiveMode === 'new'} onChange={() => setMode('new')} /> New document</label>
          </div>
          <button type="submit" className="primary" disabled={running || need !== null || !text.trim()} title="Ctrl+Enter">Generate</button>
          {running && <button type="button" onClick={() => abort.current?.abort()} title="Escape">Cancel</button>}
        </div>
      </form>
      {tasks.size > 0 && (
        <ol aria-label="Progress" className="llm-tasks">
          {[...tasks.values()].map((t) => (
            <li key={t.task} className={t.state}>
              {t.label}: {STATE_WORDS[t.state]} ({t.model}{t.escalated ? ', stronger model' : ''}{t.attempt > 1 ? `, attempt ${t.attempt}` : ''}{t.state === 'running' && t.received ? `, ${t.received.toLocaleString('en-US')} bytes` : ''})
            </li>
          ))}
        </ol>
      )}
      {result && !result.ok && <pre role="alert" className="field-error llm-error">{result.error}</pre>}
      {result?.ok && result.diff && outcome && !accepted && (
        <Proposal
          current={outcome.current}
          doc={result.doc}
          document={result.document}
          diff={result.diff}
          explanation={result.explanation}
          warnings={result.warnings}
          unsupported={result.unsupported}
          onAccept={() => {
            onAccept(result.document);
            setAccepted(true);
          }}
          onReject={() => setOutcome(null)}
        />
      )}
      {accepted && <p role="status" className="good">Applied to the document. Undo (Ctrl+Z) reverts it.</p>}
      <AttemptLog records={records} version={logVersion} />
    </section>
  );
}
