import { useId } from 'react';
import type { StrategyDocument } from '../../schema/index.ts';
import type { RunProgress } from '../runner.ts';

export interface RunControlsProps {
  /** The validated document, or null while it has problems. */
  doc: StrategyDocument | null;
  problemCount: number;
  /** False when the build has no backtest engine connected (no Runner was given to <App>). */
  canRun: boolean;
  running: boolean;
  progress: RunProgress | null;
  error: Error | null;
  onRun: (doc: StrategyDocument) => void;
  onCancel: () => void;
}

/** DESIGN.md's job states; warming up covers loading bars and computing indicator columns. */
const PHASES = { queued: 'Queued', warmingUp: 'Warming up', running: 'Running' } as const;

export function RunControls(p: RunControlsProps) {
  const reasonId = useId();
  const reason = !p.canRun
    ? 'No backtest engine is connected in this build.'
    : p.doc === null
      ? `Fix ${p.problemCount} problem${p.problemCount === 1 ? '' : 's'} first.`
      : null;
  return (
    <div className="run">
      <button
        type="button"
        className="primary"
        // Not disabled while running: a new run replaces the one in progress (e.g. the first visit's own run).
        disabled={reason !== null}
        aria-describedby={reason ? reasonId : undefined}
        onClick={() => p.doc && p.onRun(p.doc)}
      >
        Run backtest
      </button>
      {p.running && (
        <>
          <RunProgressBar progress={p.progress} />
          <button type="button" onClick={p.onCancel}>Cancel</button>
        </>
      )}
      {reason && <span id={reasonId} className="muted">{reason}</span>}
      {p.error && !p.running && (
        <span role="alert" className="field-error">
          {p.error.name === 'AbortError' ? 'Cancelled.' : `Run failed: ${p.error.message}`}
        </span>
      )}
    </div>
  );
}

/** Indeterminate until the event loop reports a fraction (a <progress> without value is the native "busy" bar). */
function RunProgressBar({ progress }: { progress: RunProgress | null }) {
  const phase = progress ? PHASES[progress.phase] : PHASES.queued;
  const pct = progress?.fraction != null ? Math.round(progress.fraction * 100) : null;
  return (
    <span className="run-progress">
      <progress aria-label="Backtest progress" max={100} value={pct ?? undefined} />
      <span role="status" className="muted">{pct === null ? `${phase}…` : `${phase} ${pct} %`}</span>
    </span>
  );
}
