import type { Explanation } from '../../rpc/engine-api.ts';
import { formatTime } from './format.ts';
import { TraceTree } from './TraceTree.tsx';

export type ExplainState =
  | { status: 'idle' }
  | { status: 'loading'; time: number }
  | { status: 'done'; time: number; explanations: Explanation[] }
  | { status: 'error'; time: number; message: string };

/** What each strategy decided on the chosen bar and why: its condition tree with operand values and the reason. */
export function ExplainPanel({ state }: { state: ExplainState }) {
  return (
    <section className="explain" aria-labelledby="h-explain" aria-live="polite">
      <h2 id="h-explain">Why{state.status !== 'idle' && ` — ${formatTime(state.time)}`}</h2>
      {state.status === 'idle' && <p className="muted">Click a bar on a price chart, or choose a time above, to see why each strategy did or did not act.</p>}
      {state.status === 'loading' && <p role="status" className="muted">Re-evaluating the bar with tracing…</p>}
      {state.status === 'error' && <p role="alert" className="field-error">Could not explain this bar: {state.message}</p>}
      {state.status === 'done' && (
        <ul className="explanations" aria-label="Strategy decisions">
          {state.explanations.map((e) => (
            <li key={e.strategyId}>
              <h3>
                {e.strategyId}: <span className={e.fired ? 'res true' : 'res false'}>{e.fired ? 'acted' : 'did not act'}</span>
                {e.time !== state.time && <span className="muted"> (bar of {formatTime(e.time)})</span>}
              </h3>
              <p>{e.reason}</p>
              {e.trace && <TraceTree trace={e.trace} />}
            </li>
          ))}
          {state.explanations.length === 0 && <li className="muted">No strategy in this document.</li>}
        </ul>
      )}
    </section>
  );
}
