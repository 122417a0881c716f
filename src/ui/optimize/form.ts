import type { Method, MetricName, Objective, OptimizeJob } from '../../optimize/index.ts';
import { countFeasible, parameterValues, type ConstraintDimension, type Parameter, type StrategyDocument } from '../../schema/index.ts';
import type { Draft } from '../doc/draft.ts';
import { isRecord } from '../doc/draft.ts';
import { valueCount } from './grid.ts';

export const METHOD_NAMES: readonly Method[] = ['grid', 'random', 'genetic'];
/** The optimizer's metrics (src/optimize METRICS), listed here because the UI may only import its types. */
export const OBJECTIVES: readonly MetricName[] = ['sharpe', 'sortino', 'cagr', 'calmar', 'return'];

export interface RangeForm { include: boolean; min: string; max: string; step: string }

/** The page's inputs as typed (strings: a half-typed number must not be coerced while the user types). */
export interface OptimizeForm {
  ranges: Record<string, RangeForm>;
  method: Method;
  objective: MetricName | 'mix';
  weights: Record<MetricName, string>;
  minTrades: string;
  maxDrawdown: string;
  evaluations: string;
  seed: string;
  top: string;
  walkForward: boolean;
  inSample: string;
  outOfSample: string;
  unit: 'bars' | 'days';
  anchored: boolean;
  heatX: string;
  heatY: string;
}

const text = (x: number | undefined) => (x === undefined ? '' : String(x));

/** The evaluation budget a new form starts with; a grid larger than this starts as a random search. */
export const DEFAULT_EVALUATIONS = 1000;
/** Winners with fewer trades than this are excluded by default: a handful of trades says little. */
export const DEFAULT_MIN_TRADES = 10;

/** Combinations of the included ranges as typed (NaN-free: unparsable fields count as one value). */
export function formGridSize(doc: StrategyDocument, ranges: Record<string, RangeForm>): number {
  let size = 1;
  for (const [name, p] of Object.entries(doc.parameters)) {
    const r = ranges[name];
    if (!r?.include) continue;
    size *= p.values ? p.values.length : valueCount({ default: p.default, min: Number(r.min), max: Number(r.max), step: Number(r.step) });
  }
  return Number.isFinite(size) && size > 0 ? size : 1;
}

/** Larger grids are not counted one by one while the user types (the search itself counts up to 2 million). */
const FORM_COUNT_LIMIT = 250_000;

/**
 * Combinations of the included ranges as typed that satisfy the document's parameter constraints (parameters
 * not searched stay at their defaults, as the search holds them): the same count the optimizer's grid uses.
 * Null when the grid is too large to count here; equal to formGridSize without constraints.
 */
export function formFeasibleSize(doc: StrategyDocument, ranges: Record<string, RangeForm>): number | null {
  const size = formGridSize(doc, ranges);
  if (!doc.parameterConstraints?.length) return size;
  if (size > FORM_COUNT_LIMIT) return null;
  const dims: ConstraintDimension[] = [];
  const fixed: Record<string, number> = {};
  for (const [name, p] of Object.entries(doc.parameters)) {
    const r = ranges[name];
    if (!r?.include) {
      fixed[name] = p.default;
      continue;
    }
    const typed = { default: p.default, min: Number(r.min), max: Number(r.max), step: Number(r.step) };
    const ok = Number.isFinite(typed.min) && Number.isFinite(typed.max) && Number.isFinite(typed.step) && typed.step > 0 && typed.max >= typed.min;
    dims.push({ name, values: p.values ? parameterValues(p) : ok ? parameterValues(typed) : [p.default] });
  }
  return countFeasible(doc.parameterConstraints, dims, fixed, FORM_COUNT_LIMIT);
}

/**
 * Prefilled from the document: every ranged parameter included, its own min/max/step, and a search that
 * runs as it is (a grid when it fits the budget, else random sampling of the same space).
 */
export function initialForm(doc: StrategyDocument): OptimizeForm {
  const ranges: Record<string, RangeForm> = {};
  for (const [name, p] of Object.entries(doc.parameters)) {
    const searchable = p.values ? p.values.length > 1 : p.min !== undefined && p.max !== undefined && p.step !== undefined;
    ranges[name] = { include: searchable, min: text(p.min), max: text(p.max), step: text(p.step) };
  }
  const searched = Object.keys(ranges).filter((n) => ranges[n]!.include);
  return {
    ranges, method: (formFeasibleSize(doc, ranges) ?? Infinity) <= DEFAULT_EVALUATIONS ? 'grid' : 'random', objective: 'sharpe',
    weights: { sharpe: '1', sortino: '0', cagr: '0', calmar: '0', return: '0' },
    minTrades: String(DEFAULT_MIN_TRADES), maxDrawdown: '', evaluations: String(DEFAULT_EVALUATIONS), seed: '1', top: '20',
    walkForward: false, inSample: '504', outOfSample: '126', unit: 'bars', anchored: false,
    heatX: searched[0] ?? '', heatY: searched[1] ?? '',
  };
}

export type Built = { ok: true; doc: StrategyDocument; job: OptimizeJob } | { ok: false; error: string };

function num(s: string, what: string, opts: { integer?: boolean; min?: number } = {}): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v)) throw new Error(`${what} must be a number`);
  if (opts.integer && !Number.isInteger(v)) throw new Error(`${what} must be a whole number`);
  if (opts.min !== undefined && v < opts.min) throw new Error(`${what} must be at least ${opts.min}`);
  return v;
}
const optional = (s: string, what: string, min = 0) => (s.trim() === '' ? undefined : num(s, what, { min }));

/**
 * The document to search (its parameters replaced by the edited ranges, each default clamped into its
 * range so the document stays valid) and the job. Throws nothing: an input error comes back as text.
 */
export function buildJob(doc: StrategyDocument, f: OptimizeForm): Built {
  try {
    const parameters: Record<string, Parameter> = {};
    const searched: string[] = [];
    for (const [name, p] of Object.entries(doc.parameters)) {
      const r = f.ranges[name];
      if (!r?.include || p.values) {
        parameters[name] = p;
        if (r?.include) searched.push(name);
        continue;
      }
      const min = num(r.min, `$${name} min`), max = num(r.max, `$${name} max`), step = num(r.step, `$${name} step`);
      if (max < min) throw new Error(`$${name}: max is below min`);
      if (step <= 0) throw new Error(`$${name}: step must be positive`);
      parameters[name] = { ...p, min, max, step, default: Math.min(max, Math.max(min, p.default)) };
      searched.push(name);
    }
    if (searched.length === 0) throw new Error('choose at least one parameter to search');
    const evaluations = num(f.evaluations, 'evaluations', { integer: true, min: 1 });
    const size = formFeasibleSize(doc, f.ranges) ?? formGridSize(doc, f.ranges);
    if (f.method === 'grid' && size > evaluations) {
      throw new Error(`The grid has ${size.toLocaleString('en-US')} combinations, more than the ${evaluations.toLocaleString('en-US')} evaluations allowed: choose the random or genetic method, narrow the ranges, or raise Max evaluations`);
    }
    const objective: Objective = f.objective === 'mix'
      ? { weights: Object.fromEntries(OBJECTIVES.map((m) => [m, num(f.weights[m], `weight of ${m}`)])) }
      : f.objective;
    const job: OptimizeJob = {
      options: {
        method: f.method, objective, parameters: searched,
        constraints: { minTrades: optional(f.minTrades, 'min trades'), maxDrawdownPct: optional(f.maxDrawdown, 'max drawdown') },
        evaluations,
        seed: num(f.seed, 'seed', { integer: true }),
        top: num(f.top, 'top', { integer: true, min: 1 }),
        walkForward: f.walkForward ? {
          inSample: num(f.inSample, 'in-sample size', { integer: true, min: 1 }),
          outOfSample: num(f.outOfSample, 'out-of-sample size', { integer: true, min: 1 }),
          unit: f.unit, anchored: f.anchored,
        } : undefined,
      },
      heatmap: f.heatX && f.heatY && f.heatX !== f.heatY && searched.includes(f.heatX) && searched.includes(f.heatY)
        ? { x: f.heatX, y: f.heatY, resolution: 25 } : undefined,
    };
    return { ok: true, doc: { ...doc, parameters }, job };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The draft with `values` as its parameters' defaults (one undoable edit). A value outside the document's
 * own range widens it, so the document stays valid when the search ranges were wider.
 */
export function applyParams(draft: Draft, values: Readonly<Record<string, number>>): Draft {
  const params = isRecord(draft.parameters) ? { ...(draft.parameters as Record<string, Parameter>) } : {};
  for (const [name, v] of Object.entries(values)) {
    const p = params[name];
    if (!p) continue;
    params[name] = {
      ...p, default: v,
      ...(p.min !== undefined && v < p.min ? { min: v } : {}),
      ...(p.max !== undefined && v > p.max ? { max: v } : {}),
    };
  }
  return { ...draft, parameters: params };
}
