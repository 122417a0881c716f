import { useMemo, useState } from 'react';
import type { OrderRecord, SignalEvent } from '../../schema/index.ts';
import { formatPrice, formatQty, formatTime } from './format.ts';
import { TraceTree } from './TraceTree.tsx';

const PAGE = 200;

export interface AuditExplorerProps {
  signals: readonly SignalEvent[];
  orders: readonly OrderRecord[];
}

/** Every signal the run recorded; choosing one shows why it fired and what it ordered. */
export function AuditExplorer({ signals, orders }: AuditExplorerProps) {
  const [strategy, setStrategy] = useState('');
  const [selected, setSelected] = useState<SignalEvent | null>(signals[0] ?? null);
  const [shown, setShown] = useState(PAGE);
  const strategies = useMemo(() => [...new Set(signals.map((s) => s.strategyId))], [signals]);
  const list = useMemo(() => (strategy ? signals.filter((s) => s.strategyId === strategy) : signals), [signals, strategy]);
  const byId = useMemo(() => new Map(orders.map((o) => [o.id, o])), [orders]);
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
        {selected ? <SignalDetail signal={selected} byId={byId} /> : <p className="muted">Choose a signal.</p>}
      </div>
    </div>
  );
}

function SignalDetail({ signal, byId }: { signal: SignalEvent; byId: ReadonlyMap<number, OrderRecord> }) {
  return (
    <section aria-label="Signal detail">
      <h3>
        {formatTime(signal.time)} · {signal.strategyId} · {signal.action}
      </h3>
      {signal.message && <p>{signal.message}</p>}
      <TraceTree trace={signal.trace} />
      {signal.weights && (
        <p>
          Target weights:{' '}
          {signal.weights.map((w) => `${w.asset} ${(w.weight * 100).toFixed(1)} %`).join(', ')}
        </p>
      )}
      {signal.orderIds.length > 0 && (
        <table className="grid mini">
          <caption>Orders</caption>
          <thead>
            <tr>
              <th scope="col">Id</th><th scope="col">Side</th><th scope="col">Symbol</th><th scope="col" className="n">Quantity</th>
              <th scope="col">Status</th><th scope="col">Filled</th><th scope="col" className="n">Price</th><th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {signal.orderIds.map((id) => {
              const o = byId.get(id);
              return o ? (
                <tr key={id}>
                  <td>{o.id}</td><td>{o.side}</td><td>{o.symbol}</td><td className="n">{formatQty(o.quantity)}</td>
                  <td>{o.status}</td><td>{o.fillTime === null ? '—' : formatTime(o.fillTime)}</td>
                  <td className="n">{o.fillPrice === null ? '—' : formatPrice(o.fillPrice)}</td><td>{o.reason ?? ''}</td>
                </tr>
              ) : (
                <tr key={id}><td>{id}</td><td colSpan={7} className="muted">not in the order log</td></tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
