import { useMemo, useState } from 'react';
import { diffLines } from '../../lib/line-diff.ts';
import type { DocumentDiff } from '../../llm/diff.ts';
import type { SchemaError, StrategyDocument } from '../../schema/index.ts';
import type { Draft } from '../doc/draft.ts';

export interface ProposalProps {
  current: Draft;
  doc: StrategyDocument;
  /** What Accept writes into the editor. */
  document: Draft;
  diff: DocumentDiff;
  explanation: string[];
  warnings: SchemaError[];
  unsupported: string[];
  onAccept(): void;
  onReject(): void;
}

function BuilderDiff({ diff }: { diff: DocumentDiff }) {
  return (
    <div className="llm-builder-diff" aria-label="Changes in the builder">
      {!diff.baseValid && <p className="muted">The current document does not validate; everything below is new.</p>}
      {diff.name && <p>Name: <del>{diff.name.before}</del> → <ins>{diff.name.after}</ins></p>}
      {diff.settings.length > 0 && (
        <table aria-label="Settings changes">
          <thead><tr><th>Setting</th><th>Now</th><th>Proposed</th></tr></thead>
          <tbody>{diff.settings.map((c) => <tr key={c.field}><td>{c.field}</td><td><del>{c.before}</del></td><td><ins>{c.after}</ins></td></tr>)}</tbody>
        </table>
      )}
      {diff.parameters.length > 0 && (
        <table aria-label="Parameter changes">
          <thead><tr><th>Parameter</th><th>Now</th><th>Proposed</th></tr></thead>
          <tbody>{diff.parameters.map((c) => <tr key={c.name}><td>{c.name} ({c.change})</td><td><del>{c.before ?? ''}</del></td><td><ins>{c.after ?? ''}</ins></td></tr>)}</tbody>
        </table>
      )}
      <ul aria-label="Rule changes" className="llm-rules">
        {diff.rules.map((r) => (
          <li key={r.id} className={`llm-rule ${r.change}`}>
            <strong>{r.name}</strong> <span className="badge">{r.change}</span>
            {r.change === 'changed' && r.before && r.after ? (
              <>
                {r.before.when !== r.after.when && <div>When: <del>{r.before.when}</del> → <ins>{r.after.when}</ins></div>}
                {r.before.then !== r.after.then && <div>Then: <del>{r.before.then}</del> → <ins>{r.after.then}</ins></div>}
                {r.before.name !== r.after.name && <div>Name: <del>{r.before.name}</del> → <ins>{r.after.name}</ins></div>}
              </>
            ) : (
              (r.after ?? r.before) && <div>When {(r.after ?? r.before)!.when}: {(r.after ?? r.before)!.then}</div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function JsonDiff({ before, after }: { before: Draft; after: Draft }) {
  const lines = useMemo(() => diffLines(JSON.stringify(before, null, 2), JSON.stringify(after, null, 2)), [before, after]);
  const changed = lines.filter((l) => l.op !== ' ').length;
  return (
    <pre className="llm-json-diff" aria-label={`JSON diff, ${changed} changed lines`} tabIndex={0}>
      {lines.map((l, i) => <div key={i} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : undefined}>{`${l.op} ${l.text}`}</div>)}
    </pre>
  );
}

/** A generated document before it touches the editor: what it does, what changes, Accept or Reject. */
export function Proposal({ current, doc, document, diff, explanation, warnings, unsupported, onAccept, onReject }: ProposalProps) {
  const [view, setView] = useState<'builder' | 'json'>('builder');
  return (
    <section className="llm-proposal" aria-label="Proposed document">
      <h3>Proposal: {doc.name}</h3>
      <ul aria-label="Explanation">{explanation.map((line) => <li key={line}>{line}</li>)}</ul>
      {unsupported.length > 0 && (
        <div className="warn" aria-label="Not expressed">Not expressed (the grammar cannot say it):<ul>{unsupported.map((u) => <li key={u}>{u}</li>)}</ul></div>
      )}
      {warnings.length > 0 && <ul aria-label="Warnings" className="warn">{warnings.map((w) => <li key={w.path + w.message}>{w.path}: {w.message}</li>)}</ul>}
      <div role="radiogroup" aria-label="Diff view" className="segmented">
        <label><input type="radio" name="llm-view" checked={view === 'builder'} onChange={() => setView('builder')} /> Builder view</label>
        <label><input type="radio" name="llm-view" checked={view === 'json'} onChange={() => setView('json')} /> JSON</label>
      </div>
      {view === 'builder' ? <BuilderDiff diff={diff} /> : <JsonDiff before={current} after={document} />}
      <div className="llm-actions">
        {/* Focus lands on Accept when a proposal arrives, so Enter accepts and Tab reaches Reject. */}
        <button type="button" className="primary" autoFocus onClick={onAccept}>Accept</button>
        <button type="button" onClick={onReject}>Reject</button>
      </div>
    </section>
  );
}
