import type { DataCheck, LinkState } from './useShareLink.ts';

function CheckText({ check }: { check: DataCheck }) {
  switch (check.kind) {
    case 'checking':
      return <span className="muted">Checking your data against the link’s fingerprint…</span>;
    case 'match':
      return <span className="good">Data fingerprint matches — a re-run gives identical statistics.</span>;
    case 'differ':
      return <span className="warn">Your data differ: {check.reasons.join('; ')}.</span>;
    case 'unavailable':
      return <span className="warn">Your data could not be compared ({check.reason}).</span>;
  }
}

/** The outcome of opening a shared link: restored (and whether the data match) or refused, with why. */
export function ShareBanner({ state, onDismiss, canUndo = false }: { state: LinkState; onDismiss: () => void; canUndo?: boolean }) {
  if (state.kind === 'none') return null;
  const refused = state.kind === 'refused';
  const tone = refused ? 'bad' : state.check.kind === 'match' || state.check.kind === 'checking' ? 'ok' : 'caution';
  return (
    <section className={`share-banner ${tone}`} aria-label="Shared link">
      {refused ? (
        <div role="alert">
          <p><b>This link could not be opened:</b> {state.message}. Nothing was changed.</p>
          {state.errors.length > 0 && (
            <ul aria-label="Link problems">
              {state.errors.map((e, i) => (
                <li key={i}><code>{e.path}</code> {e.message}</li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p role="status">
          Opened “{state.name}” from a shared link{canUndo ? ' (Undo returns to your previous document)' : ''}. <CheckText check={state.check} />
        </p>
      )}
      <button type="button" className="icon" aria-label="Dismiss" onClick={onDismiss}>×</button>
    </section>
  );
}
