import { Fragment, useEffect, useMemo, useState } from 'react';
import type { Explanation } from '../../rpc/engine-api.ts';
import type { AuditRows } from '../../rpc/result-rows.ts';
import type { OrderRecord, SignalEvent, TraceNode } from '../../schema/index.ts';
import { formatPrice, formatQty, formatTime } from './format.ts';
import { TraceTree } from './TraceTree.tsx';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

const PAGE = 200;

/**
 * Re-evaluates one bar with tracing (the runner's explain for the run's document and data). `signal` is
 * aborted when the answer is no longer wanted (another signal chosen, the page left): a late bar of a long
 * run takes seconds to reach, and clicking through signals must not queue those walks behind each other.
 */
export type ExplainBar = (time: number, signal?: AbortSignal) => Promise<Explanation[]>;

export interface AuditExplorerProps {
  /** The run's signals and orders (src/rpc/result-rows.ts: auditRows of a result, or arrayRows). */
  rows: AuditRows;
  /** Where signals carry no trace (results from the engine pool), the chosen signal's tree comes from here. */
  explain?: ExplainBar;
}

/**
 * Every signal the run recorded; choosing one shows why it fired and what it ordered. Only the page of
 * signals on screen and the chosen one's orders are read from `rows` (a pool result's 100k signals stay
 * columns until then); a signal is identified by its index, as rows from columns are fresh objects.
 */
export function AuditExplorer({ rows, explain }: AuditExplorerProps) {
  const [strategy, setStrategy] = useState('');
  // The pick belongs to the rows it was made in: a new run's explorer starts again at its first signal.
  const [pick, setPick] = useState<{ rows: AuditRows; index: number } | null>(null);
  const [shown, setShown] = useState(PAGE);
  const strategies = useMemo(() => rows.strategies(), [rows]);
  // The filter carries over to a new run that has the strategy (a rerun after an edit); otherwise it is "all",
  // not an empty list under a select that shows a strategy the run does not have.
  const active = strategy !== '' && strategies.includes(strategy) ? strategy : '';
  const list = useMemo(() => (active ? rows.signalsOf(active) : null), [rows, active]);
  // The run's first signal, or the filtered list's, until one is picked in these rows.
  const first = list ? (list.length > 0 ? list[0]! : null) : rows.signalCount > 0 ? 0 : null;
  const selected = pick?.rows === rows ? pick.index : first;
  const count = list ? list.length : rows.signalCount;
  const page = useMemo(() => {
    const out: { index: number; signal: SignalEvent }[] = [];
    for (let k = 0; k < Math.min(shown, count); k++) {
      const index = list ? list[k]! : k;
      out.push({ index, signal: rows.signal(index) });
    }
    return out;
  }, [rows, list, count, shown]);
  const chosen = useMemo(() => (selected === null ? null : rows.signal(selected)), [rows, selected]);
  return (
    <div className="audit">
      <div className="audit-list">
        <label className="inline">
          Strategy{' '}
          <select value={active} onChange={(e) => setStrategy(e.target.value)}>
            <option value="">all</option>
            {strategies.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <ol aria-label="Signal events">
          {page.map(({ index, signal: s }) => (
            <li key={index}>
              <button type="button" aria-pressed={index === selected} onClick={() => setPick({ rows, index })}>
                <span className="t">{formatTime(s.time)}</span> <span className="sid">{s.strategyId}</span> <span>{s.action}</span>
              </button>
            </li>
          ))}
          {count === 0 && <li className="muted">No signals.</li>}
        </ol>
        {shown < count && (
          <button type="button" className="small" onClick={() => setShown((n) => n + PAGE)}>
            Show more ({count - shown} left)
          </button>
        )}
      </div>
      <div className="audit-detail" aria-live="polite">
        {chosen ? <SignalDetail signal={chosen} rows={rows} explain={explain} /> : <p className="muted">Choose a signal.</p>}
      </div>
    </div>
  );
}

const EXIT_RULE: Partial<Record<NonNullable<OrderRecord['type']>, string>> = {
  stopLoss: 'stop-loss', takeProfit: 'take-profit', trailingStop: 'trailing stop', timeExit: 'time exit', closeAtEnd: 'end of the data (close at end)',
};

/** "closed by the stop-loss (stop 9.50) at 9.40 on 2024-01-03": which attached rule closed the position. */
export function exitSentence(o: OrderRecord): string {
  const rule = (o.type && EXIT_RULE[o.type]) ?? 'exit';
  const level = o.stopPrice !== undefined ? ` (stop ${formatPrice(o.stopPrice)})` : o.limitPrice !== undefined ? ` (target ${formatPrice(o.limitPrice)})` : '';
  return `closed by the ${rule}${level} at ${o.fillPrice === null ? '—' : formatPrice(o.fillPrice)} on ${o.fillTime === null ? '—' : formatTime(o.fillTime)}`;
}

type TraceState = { status: 'loading' } | { status: 'done'; trace: TraceNode } | { status: 'error'; message: string };

/**
 * A signal's condition tree: the stored one, or (results as columns) the one explain re-evaluates for its
 * bar. Runs are deterministic, so that is the tree the run saw (test/unit/engine/explain-traces.test.ts).
 */
function SignalTrace({ signal, explain }: { signal: SignalEvent; explain?: ExplainBar }) {
  const [state, setState] = useState<TraceState>({ status: 'loading' });
  useEffect(() => {
    if (signal.trace || !explain) return;
    const ctl = new AbortController();
    setState({ status: 'loading' });
    explain(signal.time, ctl.signal).then(
      (es) => {
        const e = es.find((x) => x.strategyId === signal.strategyId && x.trace);
        if (!ctl.signal.aborted) setState(e?.trace ? { status: 'done', trace: e.trace } : { status: 'error', message: `${signal.strategyId} was not evaluated on this bar` });
      },
      (e: unknown) => { if (!ctl.signal.aborted) setState({ status: 'error', message: e instanceof Error ? e.message : String(e) }); },
    );
    return () => ctl.abort();
  }, [signal, explain]);
  if (signal.trace) return <TraceTree trace={signal.trace} />;
  if (!explain) return <p className="muted">No condition trace was kept for this signal.</p>;
  if (state.status === 'loading') return <p role="status" className="muted">Re-evaluating the bar with tracing…</p>;
  if (state.status === 'error') return <p role="alert" className="field-error">Could not explain this signal: {state.message}</p>;
  return <TraceTree trace={state.trace} />;
}

function SignalDetail({ signal, rows, explain }: { signal: SignalEvent; rows: AuditRows; explain?: ExplainBar }) {
  return (
    <section aria-label="Signal detail">
      <h3>
        {formatTime(signal.time)} · {signal.strategyId} · {signal.action}
      </h3>
      {signal.message && <p>{signal.message}</p>}
      <SignalTrace signal={signal} explain={explain} />
      {signal.weights && (
        <p>
          Target weights:{' '}
          {signal.weights.map((w) => `${w.asset} ${(w.weight * 100).toFixed(1)} %`).join(', ')}
        </p>
      )}
      {signal.orderIds.length > 0 && (
        <ScrollRegion label="Orders">
          <table className="grid mini">
            <caption>Orders</caption>
            <thead>
              <tr>
                <th scope="col">Id</th><th scope="col">Side</th><th scope="col">Symbol</th><th scope="col" className="n">Quantity</th>
                <th scope="col">Type</th><th scope="col">Status</th><th scope="col">Filled</th><th scope="col" className="n">Price</th><th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {signal.orderIds.map((id) => {
                const o = rows.order(id);
                return o ? (
                  <Fragment key={id}>
                    <tr>
                      <td>{o.id}</td><td>{o.side}</td><td>{o.symbol}</td><td className="n">{formatQty(o.quantity)}</td>
                      <td>{orderType(o)}</td><td>{o.status}</td><td className="t">{o.fillTime === null ? '—' : formatTime(o.fillTime)}</td>
                      <td className="n">{o.fillPrice === null ? '—' : formatPrice(o.fillPrice)}</td><td>{o.reason ?? ''}</td>
                    </tr>
                    {rows.exitsOf(o.id).map((x) => (
                      <tr key={`x${x.id}`} className="exit-row">
                        <td>{x.id}</td><td>{x.side}</td><td>{x.symbol}</td><td className="n">{formatQty(x.filledQuantity)}</td>
                        <td colSpan={5}>{exitSentence(x)}</td>
                      </tr>
                    ))}
                  </Fragment>
                ) : (
                  <tr key={id}><td>{id}</td><td colSpan={8} className="muted">not in the order log</td></tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

function orderType(o: OrderRecord): string {
  if (o.type === undefined) return 'market';
  const px = [o.stopPrice !== undefined ? `stop ${formatPrice(o.stopPrice)}` : '', o.limitPrice !== undefined ? `limit ${formatPrice(o.limitPrice)}` : ''].filter(Boolean).join(', ');
  return px ? `${o.type} (${px})` : o.type;
}
