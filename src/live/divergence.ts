import { dayKeyOf, runBacktest, RunError } from '../engine/index.ts';
import type { BarColumns, OrderRecord, RunResult, StepSeries } from '../schema/index.ts';
import type { LiveBar } from './broker.ts';

/** One day of a deployment against the backtest of the same bars. */
export interface DivergenceDay {
  /** Exchange-local day, as YYYY-MM-DD. */
  day: string;
  /** Signals (strategy:action) the live run and the backtest made that day, where they differ. */
  liveSignals: string[];
  backtestSignals: string[];
  /** Orders filled that day by both, with the live fill price's slippage against the model's, in bps (positive = worse for us). */
  fills: { id: number; symbol: string; side: 'buy' | 'sell'; live: number; model: number; slippageBps: number; qtyLive: number; qtyModel: number }[];
  equityLive: number;
  equityBacktest: number;
}

export interface DivergenceReport {
  days: DivergenceDay[];
  /** Days whose decisions differ. */
  decisionDays: number;
  /** Mean slippage of live fills against the model, bps (NaN without fills). */
  meanSlippageBps: number;
  finalEquityLive: number;
  finalEquityBacktest: number;
}

/**
 * The divergence report: the backtest re-run over exactly the bars the deployment stepped (sized at the
 * signal, as live is), compared per day — decisions, fill prices (slippage against the model) and equity.
 */
export function divergence(
  live: RunResult, bars: readonly LiveBar[], doc: Parameters<typeof runBacktest>[0], tradeFrom: number | null, initialCash: number,
  series?: readonly StepSeries[],
): DivergenceReport {
  const symbols = doc.settings.universe;
  const cols: BarColumns[] = symbols.map((symbol) => {
    const mine = bars.filter((b) => b.symbol === symbol);
    const col = (f: (b: LiveBar) => number) => Float64Array.from(mine, f);
    return { symbol, timeframe: doc.settings.timeframe, length: mine.length, time: col((b) => b.time), open: col((b) => b.open), high: col((b) => b.high), low: col((b) => b.low), close: col((b) => b.close), volume: col((b) => b.volume) };
  });
  const range = tradeFrom === null ? undefined : { from: new Date(tradeFrom).toISOString() };
  let bt: RunResult;
  try {
    bt = runBacktest({ ...doc, settings: { ...doc.settings, initialCash, ...(range ? { range } : {}) } }, series ? { bars: cols, series } : { bars: cols }, { sizing: 'signal' });
  } catch (e) {
    // No bar has traded yet: nothing to compare.
    if (e instanceof RunError) return { days: [], decisionDays: 0, meanSlippageBps: NaN, finalEquityLive: initialCash, finalEquityBacktest: initialCash };
    throw e;
  }
  const dayKey = dayKeyOf(doc.settings);
  const days = new Map<number, DivergenceDay>();
  const at = (t: number) => {
    const k = dayKey(t);
    let d = days.get(k);
    if (!d) days.set(k, d = { day: new Date(k * 86_400_000).toISOString().slice(0, 10), liveSignals: [], backtestSignals: [], fills: [], equityLive: NaN, equityBacktest: NaN });
    return d;
  };
  for (const s of live.signals) at(s.time).liveSignals.push(`${s.strategyId}:${s.action}`);
  for (const s of bt.signals) at(s.time).backtestSignals.push(`${s.strategyId}:${s.action}`);
  const model = new Map<number, OrderRecord>(bt.orders.map((o) => [o.id, o]));
  let slip = 0, n = 0;
  for (const o of live.orders) {
    const m = model.get(o.id);
    if (!m || o.fillPrice === null || m.fillPrice === null || o.fillTime === null) continue;
    const bps = ((o.fillPrice - m.fillPrice) / m.fillPrice) * 10_000 * (o.side === 'buy' ? 1 : -1);
    at(o.fillTime).fills.push({ id: o.id, symbol: o.symbol, side: o.side, live: o.fillPrice, model: m.fillPrice, slippageBps: bps, qtyLive: o.filledQuantity, qtyModel: m.filledQuantity });
    slip += bps;
    n++;
  }
  live.curves.time.forEach((t, i) => { at(t).equityLive = live.curves.equity[i]!; });
  bt.curves.time.forEach((t, i) => { at(t).equityBacktest = bt.curves.equity[i]!; });
  const list = [...days].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  for (const d of list) if (d.liveSignals.join() === d.backtestSignals.join()) { d.liveSignals = []; d.backtestSignals = []; }
  return {
    days: list,
    decisionDays: list.filter((d) => d.liveSignals.length + d.backtestSignals.length > 0).length,
    meanSlippageBps: n ? slip / n : NaN,
    finalEquityLive: live.stats.finalEquity,
    finalEquityBacktest: bt.stats.finalEquity,
  };
}
