import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { DivergenceReport } from '../../live/divergence.ts';
import type { LiveSnapshot } from '../../live/browser/service.ts';
import type { LiveEvent } from '../../live/events.ts';
import { ExplainPanel, type ExplainState } from '../results/ExplainPanel.tsx';
import { formatMoney, formatPrice, formatQty, formatRatio, formatTime } from '../results/format.ts';
import { TraceTree } from '../results/TraceTree.tsx';
import { UPlotChart, type ChartSeries } from '../results/UPlotChart.tsx';
import type { LiveClient } from './client.ts';
import { browserNotifier, notifyAlerts } from './alert-notify.ts';
import { equityVsBacktest } from './equity-vs-backtest.ts';
import { SPEEDS } from './DeployForm.tsx';

function Table<T>({ label, rows, cols, empty }: { label: string; rows: readonly T[]; cols: [string, (r: T) => string][]; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table aria-label={label}>
      <thead><tr>{cols.map(([h]) => <th key={h}>{h}</th>)}</tr></thead>
      <tbody>
        {rows.map((r, i) => <tr key={i}>{cols.map(([h, f]) => <td key={h}>{f(r)}</td>)}</tr>)}
      </tbody>
    </table>
  );
}

type Ev<K extends LiveEvent['type']> = Extract<LiveEvent, { type: K }>;
const ofType = <K extends LiveEvent['type']>(events: readonly LiveEvent[], k: K) => events.filter((e): e is Ev<K> => e.type === k);

/** One deployment: status, controls (run, speed, pause, kill), books, audit, divergence and explain. */
export function DeploymentView({ snap, client, onRemoved }: { snap: LiveSnapshot; client: LiveClient; onRemoved: () => void }) {
  const id = snap.record.id;
  const [flatten, setFlatten] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [div, setDiv] = useState<DivergenceReport | null>(null);
  const [explain, setExplain] = useState<ExplainState>({ status: 'idle' });
  const [when, setWhen] = useState('');
  const [trace, setTrace] = useState<number | null>(null);
  const notifier = browserNotifier();
  const [permission, setPermission] = useState<NotificationPermission | null>(notifier?.permission ?? null);
  // Alert actions raise a browser notification when permitted; the first snapshot only sets where to start.
  const alertsSeen = useRef<number | null>(null);
  useEffect(() => {
    alertsSeen.current = notifyAlerts(snap.record.name, snap.signals, alertsSeen.current, notifier);
  }, [snap.signals, snap.record.name, notifier]);

  const act = (f: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const onExplain = async (e: FormEvent) => {
    e.preventDefault();
    const t = Date.parse(when.includes('T') || when.length > 10 ? when : `${when}T23:59:59Z`);
    if (!Number.isFinite(t)) {
      setExplain({ status: 'error', time: 0, message: `"${when}" is not a date (YYYY-MM-DD or an ISO time)` });
      return;
    }
    setExplain({ status: 'loading', time: t });
    try {
      setExplain({ status: 'done', time: t, explanations: await client.explain(id, t) });
    } catch (err) {
      setExplain({ status: 'error', time: t, message: (err as Error).message });
    }
  };

  const r = snap.record;
  const state = snap.running ? 'running' : r.state === 'ended' ? 'ended (end of the data)' : 'stopped';
  const fills = ofType(snap.events, 'fill');
  const reconcile = ofType(snap.events, 'reconcile');
  const guards = ofType(snap.events, 'guard');
  const audit = snap.events.filter((e) => e.type === 'control' || e.type === 'error' || e.type === 'order' || e.type === 'stream');

  return (
    <section className="live-deployment" aria-labelledby="h-deployment">
      <h2 id="h-deployment">{r.name} — {r.mode}</h2>
      <dl className="live-status" aria-label="Status">
        <dt>State</dt><dd data-testid="live-state">{state}{snap.paused ? ', paused (orders refused)' : ''}</dd>
        <dt>Broker</dt><dd>{r.broker}{r.accountId ? `, account ${r.accountId}` : ''}</dd>
        <dt>Clock</dt><dd>{Number.isFinite(snap.time) ? formatTime(snap.time) : 'no bar yet'}</dd>
        {snap.pollFloor && <><dt>Polls</dt><dd data-testid="live-poll" title={snap.pollFloor.reason}>every {r.intervalMs / 1000} s (shortest allowed {snap.pollFloor.ms / 1000} s: the broker's rate limit)</dd></>}
        {snap.progress && <><dt>Progress</dt><dd><progress max={snap.progress.total} value={snap.progress.done} /> {snap.progress.done} / {snap.progress.total} bars</dd></>}
        <dt>Cash</dt><dd>{formatMoney(snap.cash)}</dd>
        <dt>Equity</dt><dd data-testid="live-equity">{formatMoney(snap.equity)}</dd>
        <dt>Orders</dt><dd data-testid="live-order-count">{snap.orderCount}</dd>
      </dl>
      {snap.note && <p className="muted">{snap.note}</p>}
      {snap.failure && <p role="alert" className="field-error">Stopped: {snap.failure}</p>}

      <div className="live-controls" role="group" aria-label="Controls">
        {snap.running ? <button onClick={act(() => client.stop(id))}>Stop</button>
          : r.state !== 'ended' && <button onClick={act(() => client.start(id))}>Start</button>}
        {r.mode === 'practice' && (
          <label>Speed{' '}
            <select aria-label="Deployment speed" value={r.intervalMs} onChange={(e) => void act(() => client.setInterval(id, Number(e.target.value)))()}>
              {SPEEDS.map((s) => <option key={s.ms} value={s.ms}>{s.label}</option>)}
              {!SPEEDS.some((s) => s.ms === r.intervalMs) && <option value={r.intervalMs}>every {r.intervalMs} ms</option>}
            </select>
          </label>
        )}
        {snap.paused ? <button onClick={act(() => client.resume(id))}>Resume orders</button> : <button onClick={act(() => client.pause(id))}>Pause orders</button>}
        <span className="live-kill">
          <button className="danger" onClick={act(() => client.kill(id, flatten))}>Kill: pause and cancel all open orders</button>
          <label><input type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.target.checked)} /> and flatten every position</label>
        </span>
        {!snap.running && <button onClick={act(async () => { await client.remove(id); onRemoved(); })}>Delete</button>}
      </div>
      {error && <p role="alert" className="field-error">{error}</p>}

      <h3>Positions</h3>
      <Table label="Positions" rows={snap.positions} empty="No position."
        cols={[['Symbol', (p) => p.symbol], ['Quantity', (p) => formatQty(p.qty)], ['Average price', (p) => formatPrice(p.avgPrice)], ['Mark', (p) => formatPrice(p.mark)], ['Value', (p) => formatMoney(p.value)]]} />
      <h3>Open orders</h3>
      <Table label="Open orders" rows={snap.openOrders} empty="No open order."
        cols={[['Client id', (o) => o.clientOrderId], ['Symbol', (o) => o.symbol], ['Side', (o) => o.side], ['Quantity', (o) => formatQty(o.qty)], ['State', (o) => o.state]]} />
      <h3>Orders {snap.orderCount > snap.orders.length && <span className="muted">(last {snap.orders.length} of {snap.orderCount})</span>}</h3>
      <Table label="Orders" rows={snap.orders} empty="No order yet."
        cols={[['Created', (o) => formatTime(o.createdTime)], ['Strategy', (o) => o.strategyId], ['Symbol', (o) => o.symbol], ['Side', (o) => o.side], ['Quantity', (o) => formatQty(o.quantity)],
          ['Status', (o) => o.status], ['Filled', (o) => formatQty(o.filledQuantity)], ['Price', (o) => (o.fillPrice === null ? '–' : formatPrice(o.fillPrice))], ['Reason', (o) => o.reason ?? '']]} />
      <h3>Fills</h3>
      <Table label="Fills" rows={fills} empty="No fill yet."
        cols={[['Time', (f) => formatTime(f.time)], ['Client id', (f) => f.clientOrderId], ['Symbol', (f) => f.symbol], ['Side', (f) => f.side], ['Quantity', (f) => formatQty(f.qty)], ['Price', (f) => formatPrice(f.price)], ['Fee', (f) => formatMoney(f.fee)]]} />
      <h3>Reconciliation</h3>
      <Table label="Reconciliation" rows={reconcile} empty="The broker's books have matched the deployment's after every tick."
        cols={[['Time', (x) => formatTime(x.time)], ['What', (x) => x.what], ['Expected', (x) => formatRatio(x.expected)], ['At the broker (adopted)', (x) => formatRatio(x.actual)]]} />
      <h3>Guard refusals</h3>
      <Table label="Guard refusals" rows={guards} empty="No order refused by a risk guard."
        cols={[['Time', (x) => formatTime(x.time)], ['Symbol', (x) => x.symbol], ['Reason', (x) => x.reason]]} />
      <h3>Audit</h3>
      <Table label="Audit" rows={audit.slice(-50)} empty="Nothing yet."
        cols={[['Time', (x) => formatTime(x.time)], ['Event', (x) => x.type], ['Detail', (x) => x.type === 'control' ? x.detail : x.type === 'error' ? `${x.where}: ${x.message}` : x.type === 'order' ? `${x.clientOrderId} ${x.side} ${formatQty(x.qty)} ${x.symbol}: ${x.state}` : x.type === 'stream' ? x.message : '']]} />
      {notifier && permission === 'default' && (
        <p className="muted">Alert actions can raise a notification on this device.{' '}
          <button type="button" onClick={() => { void notifier.requestPermission().then(setPermission); }}>Notify me of alerts</button>
        </p>
      )}
      {permission === 'denied' && <p className="muted">Notifications are blocked for this site: alerts show here only.</p>}
      <h3>Signals {snap.signalCount > snap.signals.length && <span className="muted">(last {snap.signals.length} of {snap.signalCount})</span>}</h3>
      {snap.signals.length === 0 ? <p className="muted">No signal yet.</p> : (
        <ul className="live-signals" aria-label="Signals">
          {snap.signals.map((s, i) => (
            <li key={i}>
              <button className="link" aria-expanded={trace === i} onClick={() => setTrace(trace === i ? null : i)}>{formatTime(s.time)} {s.strategyId}: {s.action}</button>
              {trace === i && s.trace && <TraceTree trace={s.trace} />}
            </li>
          ))}
        </ul>
      )}

      <h3>Against the backtest</h3>
      <button onClick={act(async () => setDiv(await client.divergence(id)))}>Compare with the backtest of the same bars</button>
      {div && <EquityAgainstBacktest div={div} />}
      {div && (
        <div data-testid="live-divergence">
          <p>
            {div.decisionDays} day(s) with different decisions; mean fill slippage against the model{' '}
            {Number.isNaN(div.meanSlippageBps) ? 'n/a (no fill)' : `${formatRatio(div.meanSlippageBps)} bps`}; final equity {formatMoney(div.finalEquityLive)} live against {formatMoney(div.finalEquityBacktest)} in the backtest.
          </p>
          <Table label="Divergence by day" empty="No day differs."
            rows={div.days.filter((d) => d.liveSignals.length + d.backtestSignals.length > 0 || d.fills.some((f) => f.slippageBps !== 0 || f.qtyLive !== f.qtyModel) || Math.abs(d.equityLive - d.equityBacktest) > 0.005).slice(0, 200)}
            cols={[['Day', (d) => d.day], ['Live signals', (d) => d.liveSignals.join(', ')], ['Backtest signals', (d) => d.backtestSignals.join(', ')],
              ['Fill slippage (bps)', (d) => d.fills.map((f) => `${f.symbol} ${formatRatio(f.slippageBps)}`).join(', ')], ['Equity live', (d) => formatMoney(d.equityLive)], ['Equity backtest', (d) => formatMoney(d.equityBacktest)]]} />
        </div>
      )}

      <form onSubmit={onExplain} className="live-explain">
        <label>Explain the decision at <input aria-label="Explain time" placeholder="YYYY-MM-DD" value={when} onChange={(e) => setWhen(e.target.value)} /></label>{' '}
        <button type="submit">Explain</button>
      </form>
      <ExplainPanel state={explain} />
    </section>
  );
}

/** Day-end equity of the deployment and of the backtest of the same bars, on one chart. */
function EquityAgainstBacktest({ div }: { div: DivergenceReport }) {
  const c = useMemo(() => equityVsBacktest(div), [div]);
  const series = useMemo<ChartSeries[]>(() => [
    { label: 'Live', values: c.live, colorVar: '--c-equity' },
    { label: 'Backtest', values: c.backtest, colorVar: '--c-bench' },
  ], [c]);
  if (c.x.length < 2) return null;
  return <UPlotChart title="Equity: live against the backtest" x={c.x} series={series} height={220} syncKey="live-equity" formatY={formatMoney} />;
}
