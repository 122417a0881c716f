import { Fragment, useEffect, useMemo, useState } from 'react';
import type { Explanation } from '../../rpc/engine-api.ts';
import type { OrderRecord, SignalEvent, TraceNode } from '../../schema/index.ts';
import { formatPrice, formatQty, formatTime } from './format.ts';
import { TraceTree } from './TraceTree.tsx';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

const PAGE = 200;

/** Re-evaluates one bar with tracing (the runner's explain for the run's document and data). */
export type ExplainBar = (time: number) => Promise<Explanation[]>;

export interface AuditExplorerProps {
  signals: readonly SignalEvent[];
  orders: readonly OrderRecord[];
  /** Where signals carry no trace (results from the engine pool), the chosen signal's tree comes from here. */
  explain?: ExplainBar;
}

/** Every signal the run recorded; choosing one shows why it fired and what it ordered. */
export function AuditExplorer({ signals, orders, explain }: AuditExplorerProps) {
  const [strategy, setStrategy] = useState('');
  const [selected, setSelected] = useState<SignalEvent | null>(signals[0] ?? null);
  const [shown, setShown] = useState(PAGE);
  const strategies = useMemo(() => [...new Set(signals.map((s) => s.strategyId))], [signals]);
  const list = useMemo(() => (strategy ? signals.filter((s) => s.strategyId === strategy) : signals), [signals, strategy]);
  const byId = useMemo(() => new Map(orders.map((o) => [o.id, o])), [orders]);
  const exitsOf = useMemo(() => {
    const m = new Map<number, OrderRecord[]>();
    for (const o of orders) if (o.parentId !== undefined) m.set(o.parentId, [...(m.get(o.parentId) ?? []), o]);
    return m;
  }, [orders]);
  return (
    <div className="audit">
      <div className="audit-list">
        <label className="inline">
          Strategy{' '}
          <select value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            <option value="">all</option>
            {strategies.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <ol aria-label="Signal events">
          {list.slice(0, shown).map((s, i) => (
            <li key={i}>
              <button type="button" aria-pressed={s === selected} onClick={() => setSelected(s)}>
                <span className="t">{formatTime(s.time)}</span> <span className="sid">{s.strategyId}</span> <span>{s.action}</span>
              </button>
            </li>
          ))}
          {list.length === 0 && <li className="muted">No signals.</li>}
        </ol>
        {shown < list.length && (
          <button type="button" className="small" onClick={() => setShown((n) => n + PAGE)}>
            Show more ({list.length - shown} left)
          </button>
        )}
      </div>
      <div className="audit-detail" aria-live="polite">
        {selected ? <SignalDetail signal={selected} byId={byId} exitsOf={exitsOf} explain={explain} /> : <p className="muted">Choose a signal.</p>}
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
    let live = true;
    setState({ status: 'loading' });
    explain(signal.time).then(
      (es) => {
        const e = es.find((x) => x.strategyId === signal.strategyId && x.trace);
        if (live) setState(e?.trace ? { status: 'done', trace: e.trace } : { status: 'error', message: `${signal.strategyId} was not evaluated on this bar` });
      },
      (e: unknown) => { if (live) setState({ status: 'error', message: e instanceof Error ? e.message : String(e) }); },
    );
    return () => { live = false; };
  }, [signal, explain]);
  if (signal.trace) return <TraceTree trace={signal.trace} />;
  if (!explain) return <p className="muted">No condition trace was kept for this signal.</p>;
  if (state.status === 'loading') return <p role="status" className="muted">Re-evaluating the bar with tracing…</p>;
  if (state.status === 'error') return <p role="alert" className="field-error">Could not explain this signal: {state.message}</p>;
  return <TraceTree trace={state.trace} />;
}

function SignalDetail({ signal, byId, exitsOf, explain }: {
  signal: SignalEvent; byId: ReadonlyMap<number, OrderRecord>; exitsOf: ReadonlyMap<number, OrderRecord[]>; explain?: ExplainBar;
}) {
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
                const o = byId.get(id);
                return o ? (
                  <Fragment key={id}>
                    <tr>
                      <td>{o.id}</td><td>{o.side}</td><td>{o.symbol}</td><td className="n">{formatQty(o.quantity)}</td>
                      <td>{orderType(o)}</td><td>{o.status}</td><td className="t">{o.fillTime === null ? '—' : formatTime(o.fillTime)}</td>
                      <td className="n">{o.fillPrice === null ? '—' : formatPrice(o.fillPrice)}</td><td>{o.reason ?? ''}</td>
                    </tr>
                    {(exitsOf.get(o.id) ?? []).map((x) => (
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
