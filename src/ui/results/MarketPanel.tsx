import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import { tradeRows } from '../../rpc/trade-rows.ts';
import type { DataClient } from '../data/client.ts';
import { useCatalog } from '../data/useCatalog.ts';
import type { Runner } from '../runner.ts';
import { ExplainPanel, type ExplainState } from './ExplainPanel.tsx';
import type { SeriesSource } from './SeriesPanes.tsx';

/** Candles, volume and trade markers load with the price charts, after the results show (first-load budget, #16). */
const PriceCharts = lazy(() => import('./PriceCharts.tsx').then((m) => ({ default: m.PriceCharts })));

/** Buckets per asset: every bar of 20 years of daily data stays its own clickable point. */
const CHART_POINTS = 6000;

/** "2010-01-04" or "2010-01-04 14:30", read as UTC like every time the app shows. */
export function parseUtc(text: string): number | null {
  const s = text.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(s)) return null;
  const t = Date.parse(s.length === 10 ? s : `${s}Z`);
  return Number.isFinite(t) ? t : null;
}

export interface MarketPanelProps {
  runner: Runner;
  doc: StrategyDocument;
  result: RunResult;
  /** The data worker: the stored series the picker under a price chart offers. Null: only the run's series. */
  data?: DataClient | null;
}

/** Price charts with indicators and trades, and "why" for any bar (a click, or a typed time for keyboard users). */
export function MarketPanel({ runner, doc, result, data = null }: MarketPanelProps) {
  // The result identifies the run: a re-run of the same document on re-imported bars gets new charts.
  const runKey = [doc, result.engineVersion, result.barCount, result.stats.endTime];
  const trades = useMemo(() => tradeRows(result), [result]);
  const overlays = useQuery({
    queryKey: ['overlays', ...runKey],
    queryFn: ({ signal }) => runner.overlays!(doc, CHART_POINTS, signal),
    enabled: runner.overlays !== undefined,
    staleTime: Infinity,
    gcTime: 0,
  });
  const used = useQuery({
    queryKey: ['run-series', ...runKey],
    queryFn: ({ signal }) => runner.series!(doc, signal),
    enabled: runner.series !== undefined,
    staleTime: Infinity,
    gcTime: 0,
  });
  const catalog = useCatalog(data);
  const series = useMemo<SeriesSource | undefined>(() => {
    if (runner.series && !used.data) return undefined;
    const stored = (catalog.data ?? []).filter((d) => d.kind === 'series').map((d) => ({ name: d.key, symbol: d.symbol, file: d.file }));
    return {
      used: used.data ?? [],
      stored,
      ...(data ? { load: ({ name, symbol }: { name: string; symbol: string | null }) => data.getSeries(name, symbol) } : {}),
    };
  }, [runner.series, used.data, catalog.data, data]);
  const [why, setWhy] = useState<ExplainState>({ status: 'idle' });
  // The explanation being computed: a newer click or leaving the page aborts it (its walk stops in the worker).
  const pending = useRef<AbortController | null>(null);
  useEffect(() => () => pending.current?.abort(), []);
  const explain = (time: number) => {
    if (!runner.explain) return;
    pending.current?.abort();
    const ctl = new AbortController();
    pending.current = ctl;
    setWhy({ status: 'loading', time });
    runner.explain(doc, time, ctl.signal).then(
      (explanations) => { if (!ctl.signal.aborted) setWhy({ status: 'done', time, explanations }); },
      (e: unknown) => { if (!ctl.signal.aborted) setWhy({ status: 'error', time, message: e instanceof Error ? e.message : String(e) }); },
    );
  };
  const [typed, setTyped] = useState('');
  const typedTime = parseUtc(typed);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typedTime !== null) explain(typedTime);
  };
  if (!runner.overlays) return null;
  return (
    <section aria-labelledby="h-prices" className="market">
      <h2 id="h-prices">Prices and signals</h2>
      {overlays.isPending && <p role="status" className="muted">Loading price charts…</p>}
      {overlays.error && <p role="alert" className="field-error">Price charts failed: {overlays.error.message}</p>}
      {used.error && <p role="alert" className="field-error">External series not shown: {used.error.message}</p>}
      {overlays.data && (
        <Suspense fallback={<p role="status" className="muted">Loading price charts…</p>}>
          <PriceCharts overlays={overlays.data} trades={trades} onPick={explain} series={series} />
        </Suspense>
      )}
      {runner.explain && (
        <form className="explain-form" onSubmit={submit}>
          <label>
            Explain bar at (UTC){' '}
            <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="2010-01-04 or 2010-01-04 14:30" aria-invalid={typed !== '' && typedTime === null} />
          </label>{' '}
          <button type="submit" disabled={typedTime === null}>Explain</button>
        </form>
      )}
      {runner.explain && <ExplainPanel state={why} />}
    </section>
  );
}
