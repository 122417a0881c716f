import type { DivergenceReport } from '../../live/divergence.ts';

/**
 * The divergence report's day-end equity as chart columns: x in seconds (uPlot's unit) at each day's UTC
 * midnight, the live equity and the backtest's on the same days. A day only one side has (a deployment that
 * started mid-day, a backtest that could not run) plots as a gap, never as a made-up value.
 */
export function equityVsBacktest(div: DivergenceReport): { x: Float64Array; live: (number | null)[]; backtest: (number | null)[] } {
  const days = div.days.filter((d) => Number.isFinite(d.equityLive) || Number.isFinite(d.equityBacktest));
  const num = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    x: Float64Array.from(days, (d) => Date.parse(`${d.day}T00:00:00Z`) / 1000),
    live: days.map((d) => num(d.equityLive)),
    backtest: days.map((d) => num(d.equityBacktest)),
  };
}
