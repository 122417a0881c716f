/** How `npm run optimize` prints: JSON for scripts, tables for people. */
import type { Candidate, OptimizeResult, Span, WalkForwardResult } from '../optimize/index.ts';
import type { Stats } from '../schema/index.ts';
import { toJson } from './format.ts';
import type { Robustness } from './optimize-robustness.ts';

const iso = (t: number) => new Date(t).toISOString();
const span = (s: Span) => ({ from: iso(s.from), to: iso(s.to), bars: s.bars });
const candidate = (c: Candidate) => ({ params: c.params, score: toJson(c.score), feasible: c.feasible, stats: toJson(c.stats) });

function walkForwardJson(wf: WalkForwardResult): unknown {
  const c = wf.outOfSample.curves;
  return {
    sizes: wf.sizes,
    windows: wf.windows.map((w) => ({
      index: w.index, inSample: span(w.inSample), outOfSample: span(w.outOfSample), params: w.params, evaluations: w.evaluations,
      inSampleScore: toJson(w.inSampleScore), outOfSampleScore: toJson(w.outOfSampleScore),
      inSampleStats: toJson(w.inSampleStats), outOfSampleStats: toJson(w.outOfSampleStats),
    })),
    outOfSample: {
      score: toJson(wf.outOfSample.score),
      stats: toJson(wf.outOfSample.stats),
      equity: Array.from(c.time, (t, i) => [iso(t), c.equity[i]!]),
      trades: toJson(wf.outOfSample.trades),
    },
    inSample: toJson(wf.inSample),
    efficiency: toJson(wf.efficiency),
  };
}

/**
 * `where` names a queue when the candidates ran on one (`queue redis://host:port/0`). `sweep`: with --workers,
 * how the pool held the search's shared indicator columns: budgeted groups (0 when they fit the budget at once)
 * and buffers written again instead of taken fresh (src/rpc/POOL.md).
 */
export function optimizeJson(r: OptimizeResult, workers: number, extra: Robustness = {}, where?: string, sweep?: { groups: number; buffersReused: number }): string {
  return JSON.stringify({
    method: r.method, objective: r.objective, seed: r.seed, workers, ...(where ? { ranOn: where } : {}), ...(sweep ? { sweep } : {}),
    evaluations: r.evaluations, evaluationsPerSecond: toJson(r.evaluationsPerSecond), elapsedMs: r.elapsedMs,
    stopReason: r.stopReason, generations: r.generations, space: r.space, gridSize: r.gridSize, feasibleSize: r.feasibleSize,
    best: r.best && candidate(r.best),
    top: r.top.map(candidate),
    ...(r.walkForward ? { walkForward: walkForwardJson(r.walkForward) } : {}),
    ...(extra.bootstrap ? { bootstrap: toJson(extra.bootstrap) } : {}),
    ...(extra.heatmap ? { heatmap: toJson(extra.heatmap) } : {}),
  });
}

const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '−∞');
const day = (t: number) => iso(t).replace('T00:00:00.000Z', '').replace(/:00\.000Z$/, 'Z');

/** Columns padded to their widest cell; numbers right-aligned. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || !/^[-−\d.∞n]/.test(c) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function statsLine(s: Stats): string {
  return `return ${num(s.totalReturnPct)} %, CAGR ${num(s.cagrPct)} %, Sharpe ${num(s.sharpe, 3)}, Sortino ${num(s.sortino, 3)}, max drawdown ${num(s.maxDrawdownPct)} %, ${s.tradeCount} trades`;
}

function robustnessLines(extra: Robustness): string[] {
  const out: string[] = [];
  const b = extra.bootstrap;
  if (b) {
    const ps = (d: typeof b.totalReturnPct) => d.percentiles.map((x) => `p${x.p} ${num(x.value)}`).join(', ');
    out.push('', `bootstrap of ${b.trades} trades (${b.samples} resamples):`, `  total return %: ${ps(b.totalReturnPct)}`, `  max drawdown %: ${ps(b.maxDrawdownPct)}`);
  }
  const h = extra.heatmap;
  if (h) {
    out.push('', `heatmap ${h.x.name} × ${h.y.name} (${h.x.values.length} × ${h.y.values.length}): best ${h.x.name}=${h.x.values[h.best.i]} ${h.y.name}=${h.y.values[h.best.j]} ` +
      `score ${num(h.best.score, 3)}; plateau score ${num(h.plateau, 2)} (neighbours ÷ best: near 1 a plateau, near 0 a spike)`);
  }
  return out;
}

/** "1725 candidates (235 excluded by the parameter constraints)" or "1960 candidates". */
function candidatesText(r: OptimizeResult): string {
  const f = r.feasibleSize;
  if (f === null) return `${r.gridSize} candidates (the parameter constraints exclude some; too many to count)`;
  return f < r.gridSize ? `${f} candidates (${r.gridSize - f} excluded by the parameter constraints)` : `${r.gridSize} candidates`;
}

export function optimizeHuman(r: OptimizeResult, workers: number, extra: Robustness = {}, where?: string): string {
  const names = r.space.map((d) => d.name);
  const out = [
    `${r.method} search, objective ${r.objective}, seed ${r.seed}: ${r.evaluations} evaluations ` +
      `${r.walkForward ? `over ${r.walkForward.windows.length} windows of ${candidatesText(r)} each` : `of ${candidatesText(r)}`} ` +
      `in ${(r.elapsedMs / 1000).toFixed(2)} s (${num(r.evaluationsPerSecond, 0)}/s, ${where ?? (workers > 0 ? `${workers} worker${workers > 1 ? 's' : ''}` : 'in-process')}), stopped: ${r.stopReason}`,
  ];
  if (r.walkForward) out.push('', 'best of the last in-sample window:');
  out.push('', table(
    ['#', ...names, 'score', 'return %', 'sharpe', 'max dd %', 'trades', ''],
    r.top.map((c, i) => [String(i + 1), ...names.map((n) => String(c.params[n])), num(c.score, 3), num(c.stats.totalReturnPct),
      num(c.stats.sharpe, 3), num(c.stats.maxDrawdownPct), String(c.stats.tradeCount), c.feasible ? '' : 'violates constraints']),
  ));
  const wf = r.walkForward;
  if (wf) {
    out.push('', `walk-forward (${wf.sizes.anchored ? 'anchored' : 'rolling'} ${wf.sizes.inSample}/${wf.sizes.outOfSample} ${wf.sizes.unit}):`, table(
      ['window', 'in-sample', 'out-of-sample', 'parameters', 'IS score', 'OOS score'],
      wf.windows.map((w) => [String(w.index + 1), `${day(w.inSample.from)} … ${day(w.inSample.to)}`, `${day(w.outOfSample.from)} … ${day(w.outOfSample.to)}`,
        names.map((n) => `${n}=${w.params[n]}`).join(' '), num(w.inSampleScore, 3), num(w.outOfSampleScore, 3)]),
    ));
    out.push('', `out of sample (stitched): ${statsLine(wf.outOfSample.stats)}`);
    out.push(`in sample (mean of winners): score ${num(wf.inSample.meanScore, 3)}, annual return ${num(wf.inSample.meanAnnualReturnPct)} %, Sharpe ${num(wf.inSample.meanSharpe, 3)}`);
    out.push(`walk-forward efficiency (OOS ÷ IS annual return): ${num(wf.efficiency, 2)}`);
  } else if (r.best) {
    out.push('', `best: ${statsLine(r.best.stats)}`);
  }
  out.push(...robustnessLines(extra));
  return out.join('\n');
}
