import { useId, useMemo, type ReactNode } from 'react';
import { auditRows } from '../../rpc/result-rows.ts';
import { tradeRows } from '../../rpc/trade-rows.ts';
import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import { AxisModeContext, useAxisMode } from './axis-mode.ts';
import { AuditExplorer, type ExplainBar } from './AuditExplorer.tsx';
import { CorporateActionsTable } from './CorporateActionsTable.tsx';
import { EquityCharts } from './lazy-charts.tsx';
import { ExportBar } from './ExportBar.tsx';
import { formatCount, formatMoney, formatPct, formatRatio } from './format.ts';
import { MonthlyReturns } from './MonthlyReturns.tsx';
import { TradeDistribution } from './TradeDistribution.tsx';
import { StatsTable } from './StatsTable.tsx';
import { TradeTable } from './TradeTable.tsx';
import { ZoomGroupContext } from './zoom-context.ts';

/** A difference of two percentages, in percentage points, signed. */
const formatPoints = (pp: number) => (Number.isFinite(pp) ? `${pp > 0 ? '+' : ''}${formatRatio(pp)} pp` : formatRatio(pp));

function Kpi({ label, value, negative }: { label: string; value: string; negative?: boolean }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd className={negative ? 'neg' : undefined}>{value}</dd>
    </div>
  );
}

/** Everything a run produced, read-only. `explain` re-evaluates a bar for signals that carry no trace. */
export function ResultsView({ result, title, market, doc = null, explain }: {
  result: RunResult; title: string; market?: ReactNode; doc?: StrategyDocument | null; explain?: ExplainBar;
}) {
  const s = result.stats;
  const zoomGroup = useId();
  const axisMode = useAxisMode();
  const rows = useMemo(() => auditRows(result), [result]);
  // Read as columns where the pool's result has them: the table makes objects of the rows it shows only.
  const trades = useMemo(() => tradeRows(result), [result]);
  return (
    <div className="results">
      <header className="results-head">
        <h2>{title}</h2>
        <dl className="kpis">
          <Kpi label="Total return" value={formatPct(s.totalReturnPct)} negative={s.totalReturnPct < 0} />
          <Kpi label="Buy & hold" value={formatPct(s.buyHoldReturnPct)} negative={s.buyHoldReturnPct < 0} />
          <Kpi label="Excess" value={formatPoints(s.totalReturnPct - s.buyHoldReturnPct)} negative={s.totalReturnPct < s.buyHoldReturnPct} />
          <Kpi label="Final equity" value={formatMoney(s.finalEquity)} />
          <Kpi label="Sharpe" value={formatRatio(s.sharpe)} />
          <Kpi label="Max drawdown" value={formatPct(s.maxDrawdownPct)} negative={s.maxDrawdownPct < 0} />
          <Kpi label="Trades" value={formatCount(s.tradeCount)} />
        </dl>
        <p className="muted">
          {formatCount(result.barCount)} bars, {formatCount(result.eventCount)} steps · engine {result.engineVersion}
          {/* Which engine ran, and why the reference did when the fast path was asked for (e.g. a CSP blocks its code). */}
          {result.engine && <> · <span data-testid="engine-used" title={result.engineNote}>{result.engine === 'fast' ? 'fast path' : 'reference kernel'}</span></>}
        </p>
        <ExportBar result={result} doc={doc} title={title} />
      </header>
      {result.warnings.length > 0 && (
        <ul className="warnings" aria-label="Run warnings">
          {result.warnings.map((w, i) => (
            <li key={i} className="warning">{w}</li>
          ))}
        </ul>
      )}
      {/* Price charts and "why" sit right under the equity, above the long tables; all charts zoom together. */}
      <ZoomGroupContext.Provider value={zoomGroup}>
        <AxisModeContext.Provider value={axisMode}>
          <EquityCharts curves={result.curves} />
          {market}
        </AxisModeContext.Provider>
      </ZoomGroupContext.Provider>
      <div className="results-grid">
        <StatsTable stats={s} />
        <TradeTable trades={trades} />
      </div>
      <div className="results-grid report">
        <MonthlyReturns curves={result.curves} />
        <TradeDistribution trades={trades} />
      </div>
      <section aria-labelledby="h-audit">
        <h2 id="h-audit">Audit</h2>
        {result.corporateActions && result.corporateActions.length > 0 && (
          <CorporateActionsTable events={result.corporateActions} />
        )}
        <AuditExplorer rows={rows} explain={explain} />
      </section>
    </div>
  );
}
