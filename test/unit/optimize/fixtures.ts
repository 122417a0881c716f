/**
 * Shared fixtures of the optimizer tests: a document with two parameters, seeded daily bars, and
 * evaluators over synthetic objective landscapes (known optimum, no engine) that record every call.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../../src/lib/rng.ts';
import { invalidStats, type EvaluatorFactory } from '../../../src/optimize/index.ts';
import { parseDocument, type BarColumns, type Stats, type StrategyDocument } from '../../../src/schema/index.ts';
import type { ParamValues } from '../../../src/strategy/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * public/strategies/sma-cross.json (fast 2…50 step 1, slow 5…200 step 5: a 49 × 40 grid), optionally with other
 * parameters. Without its parameter constraint (fast < slow) unless `constraints` are given: most optimizer
 * tests are about the unconstrained grid.
 */
export function smaCross(parameters?: Record<string, unknown>, symbol = 'SPY', constraints?: unknown[]): StrategyDocument {
  const json = JSON.parse(readFileSync(join(root, 'public', 'strategies', 'sma-cross.json'), 'utf8'));
  if (parameters) json.parameters = parameters;
  if (constraints) json.parameterConstraints = constraints;
  else delete json.parameterConstraints;
  json.settings.universe = [symbol];
  const r = parseDocument(json);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

/** A seeded random walk of `n` daily bars with some trend regimes, so SMA crossovers trade. */
export function dailyBars(n: number, seed = 1, symbol = 'SPY', start = Date.UTC(2010, 0, 4)): BarColumns {
  const rng = new Rng(seed);
  const time = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), close = new Float64Array(n), volume = new Float64Array(n);
  let p = 100, drift = 0;
  for (let i = 0; i < n; i++) {
    if (i % 60 === 0) drift = (rng.next() - 0.5) * 0.004;
    const o = p;
    p = Math.max(1, p * (1 + drift + rng.normal() * 0.012));
    time[i] = start + i * 86_400_000;
    open[i] = o;
    close[i] = p;
    high[i] = Math.max(o, p) * 1.003;
    low[i] = Math.min(o, p) * 0.997;
    volume[i] = 1000;
  }
  return { symbol, timeframe: '1d', length: n, time, open, high, low, close, volume };
}

export type Landscape = (p: ParamValues) => number;

/** Stats whose sharpe (and every other metric the objectives read) is the landscape's value. */
export function statsWith(value: number, extra: Partial<Stats> = {}): Stats {
  return { ...invalidStats(), sharpe: value, sortino: value, cagrPct: value, calmar: value, totalReturnPct: value, tradeCount: 10, maxDrawdownPct: -10, ...extra };
}

/** A smooth bowl with its single peak (value 10) at (fast, slow). */
export function bowl(fast: number, slow: number): Landscape {
  return (p) => 10 - ((p.fast! - fast) ** 2) / 50 - ((p.slow! - slow) ** 2) / 500;
}

/**
 * A rugged landscape: the bowl plus seeded bumps of up to 3 at every point (local optima everywhere),
 * its global optimum (value 10 + 4) planted at (fast, slow).
 */
export function rugged(fast: number, slow: number, seed: number): Landscape {
  const base = bowl(fast, slow);
  return (p) => {
    if (p.fast === fast && p.slow === slow) return 14;
    const h = new Rng((Math.imul(p.fast! * 1000 + p.slow!, 0x9e3779b1) ^ seed) >>> 0).next();
    return base(p) + 3 * h;
  };
}

export interface Recording {
  /** Every candidate the evaluator was asked for, in call order. */
  calls: ParamValues[];
  batches: number;
}

/** In candidate order, one call per batch: the plain in-process shape. */
export function landscapeEvaluator(f: Landscape | ((p: ParamValues) => Stats), rec: Recording = { calls: [], batches: 0 }): EvaluatorFactory {
  return () => async (cands) => {
    rec.batches++;
    rec.calls.push(...cands);
    return cands.map((p) => { const v = f(p); return typeof v === 'number' ? statsWith(v) : v; });
  };
}

/**
 * A simulated pool of `workers`: the batch is dealt round-robin into chunks, the chunks resolve in a
 * seeded random order after random delays, and each chunk evaluates its candidates shuffled.
 */
export function pooledEvaluator(f: Landscape, workers: number, seed: number): EvaluatorFactory {
  const rng = new Rng(seed);
  return () => async (cands) => {
    const out = new Array<Stats>(cands.length);
    const chunks: number[][] = Array.from({ length: workers }, () => []);
    cands.forEach((_, i) => chunks[i % workers]!.push(i));
    await Promise.all(chunks.map(async (idx) => {
      await new Promise((r) => setTimeout(r, Math.floor(rng.next() * 3)));
      for (let k = idx.length - 1; k > 0; k--) {
        const j = Math.floor(rng.next() * (k + 1));
        [idx[k], idx[j]] = [idx[j]!, idx[k]!];
      }
      for (const i of idx) out[i] = statsWith(f(cands[i]!));
    }));
    return out;
  };
}
