import { DocumentSchema, type StrategyDocument } from './document.ts';
import { formatPath, formatZodError, type SchemaError } from './errors.ts';
import { migrate } from './migrate.ts';
import { shapeErrors } from './limits.ts';
import { MAX_COUNT } from './number.ts';
import { constraintErrors } from './constraints.ts';

export type ParseResult =
  | { ok: true; doc: StrategyDocument; warnings: SchemaError[]; migratedFrom?: number }
  | { ok: false; errors: SchemaError[] };

/** "$asset" stands for the candidate being evaluated; it only means something inside a universe rule. */
export const ASSET_PLACEHOLDER = '$asset';

/**
 * The one entry point every caller uses (UI, workers, CLI, LLM, proxy): migrate, check the shape with
 * zod, then check what a shape cannot say (parameters exist, assets are known, ids unique).
 */
export function parseDocument(input: unknown): ParseResult {
  const shape = shapeErrors(input);
  if (shape.length) return { ok: false, errors: shape };
  const m = migrate(input);
  if (!m.ok) return m;
  const parsed = DocumentSchema.safeParse(m.doc);
  if (!parsed.success) return { ok: false, errors: formatZodError(parsed.error) };
  const doc = parsed.data;
  const errors = semanticErrors(doc);
  if (errors.length) return { ok: false, errors };
  const warnings: SchemaError[] = [];
  if (doc.settings.fillModel === 'close') {
    warnings.push({
      path: 'settings.fillModel',
      message: '"close" fills at the bar that produced the signal: optimistic, results will look better than trading can achieve',
    });
  }
  return m.migrated ? { ok: true, doc, warnings, migratedFrom: m.from } : { ok: true, doc, warnings };
}

/**
 * A parameter used as a window length or a count must take whole values in [least, MAX_COUNT] at its
 * default and everywhere optimization may move it; otherwise a run would fail (or allocate 2^31 slots)
 * long after validation said yes.
 */
function countParamErrors(doc: StrategyDocument, name: string, least: number, usedAt: string, errors: SchemaError[]): void {
  const p = doc.parameters[name]!;
  const bad = (x: number) => !Number.isInteger(x) || x < least || x > MAX_COUNT;
  const why = `parameter "${name}" is a count at ${usedAt}: expected a whole number from ${least} to ${MAX_COUNT.toLocaleString('en-US')}`;
  const checks: [string, number | undefined][] = [['default', p.default], ['min', p.min], ['max', p.max], ['step', p.step]];
  for (const [field, x] of checks) {
    if (x !== undefined && (field === 'step' ? !Number.isInteger(x) : bad(x))) {
      errors.push({ path: formatPath(['parameters', name, field]), message: field === 'step' ? `${why}, so a whole step` : `${why}, got ${x}` });
    }
  }
  const i = p.values?.findIndex(bad) ?? -1;
  if (i >= 0) errors.push({ path: formatPath(['parameters', name, 'values', i]), message: `${why}, got ${p.values![i]}` });
}

function semanticErrors(doc: StrategyDocument): SchemaError[] {
  const errors: SchemaError[] = [];
  const universe = new Set(doc.settings.universe);
  const ids = new Set<string>();
  doc.strategies.forEach((s, i) => {
    if (ids.has(s.id)) errors.push({ path: `strategies[${i}].id`, message: `duplicate strategy id "${s.id}"` });
    ids.add(s.id);
  });

  const visit = (node: unknown, path: (string | number)[], inRule: boolean, known: Set<string>): void => {
    if (Array.isArray(node)) {
      node.forEach((x, i) => visit(x, [...path, i], inRule, known));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const obj = node as Record<string, unknown>;
    // Own properties only: "constructor" or "toString" must not be found on Object.prototype.
    if (typeof obj.$param === 'string' && !Object.hasOwn(doc.parameters, obj.$param)) {
      errors.push({ path: formatPath(path), message: `unknown parameter "${obj.$param}"; declare it under parameters` });
    }
    for (const key of ['bars', 'atLeast', 'atMost'] as const) {
      const ref = obj[key] as { $param?: unknown } | undefined;
      if (typeof ref === 'object' && ref !== null && typeof ref.$param === 'string' && Object.hasOwn(doc.parameters, ref.$param)) {
        countParamErrors(doc, ref.$param, key === 'atMost' ? 0 : 1, formatPath([...path, key]), errors);
      }
    }
    if (typeof obj.asset === 'string' && path.length > 0) {
      if (obj.asset === ASSET_PLACEHOLDER) {
        if (!inRule) errors.push({ path: formatPath([...path, 'asset']), message: '"$asset" is only meaningful inside a universe rule' });
      } else if (!known.has(obj.asset)) {
        errors.push({ path: formatPath([...path, 'asset']), message: `unknown symbol "${obj.asset}"; add it to settings.universe` });
      }
    }
    if (obj.kind === 'macd') {
      const kinds = ['fast', 'slow', 'signal'].map((k) => (typeof obj[k] === 'object' && obj[k] !== null && 'bars' in obj[k] ? 'bars' : 'duration'));
      if (new Set(kinds).size > 1) {
        errors.push({ path: formatPath([...path, 'signal']), message: 'MACD windows fast, slow and signal must all be bars or all durations' });
      }
    }
    if (obj.kind === 'sinceSignal' && typeof obj.strategy === 'string' && !ids.has(obj.strategy)) {
      errors.push({ path: formatPath([...path, 'strategy']), message: `no strategy with id "${obj.strategy}"` });
    }
    if ((obj.type === 'buy' || obj.type === 'sell' || obj.type === 'setWeight') && (obj.exits || obj.entry)) {
      orderErrors(obj, path, doc.settings.allowShort, errors);
    }
    if (obj.type === 'setWeight' && typeof obj.weight === 'number') {
      if (Math.abs(obj.weight) > 1) errors.push({ path: formatPath([...path, 'weight']), message: 'expected a weight between -1 and 1' });
      if (obj.weight < 0 && !doc.settings.allowShort) {
        errors.push({ path: formatPath([...path, 'weight']), message: 'a negative weight is a short: set settings.allowShort to true' });
      }
    }
    if (typeof obj.universe === 'object' && obj.universe !== null && obj.type === 'rebalance') {
      const rule = obj.universe as { candidates: string[] };
      const candidates = new Set([...known, ...rule.candidates]);
      rule.candidates.forEach((c, i) => {
        if (!universe.has(c)) errors.push({ path: formatPath([...path, 'universe', 'candidates', i]), message: `unknown symbol "${c}"; add it to settings.universe` });
      });
      for (const [k, v] of Object.entries(obj.universe)) visit(v, [...path, 'universe', k], true, candidates);
      return;
    }
    for (const [k, v] of Object.entries(obj)) visit(v, [...path, k], inRule, known);
  };
  doc.strategies.forEach((s, i) => visit(s, ['strategies', i], false, universe));
  errors.push(...constraintErrors(doc.parameterConstraints, doc.parameters));
  return errors;
}

type Lvl = { percent?: unknown; distance?: unknown; atr?: unknown; price?: unknown };

/**
 * What the shape cannot say about entries and exits: a long's stop below its entry and its target above
 * (shorts mirrored) when both are literal prices, percentages that would cross zero, exits on a short that
 * shorting does not allow, and an expiry that only a good-till-cancelled order can have.
 */
function orderErrors(obj: Record<string, unknown>, path: (string | number)[], allowShort: boolean, errors: SchemaError[]): void {
  const side = obj.type === 'buy' ? 1 : obj.type === 'sell' ? -1 : typeof obj.weight === 'number' ? Math.sign(obj.weight) : 0;
  const at = (...p: (string | number)[]) => formatPath([...path, ...p]);
  const what = side === 1 ? "a long's" : "a short's";
  const exits = obj.exits as { stopLoss?: Lvl; takeProfit?: Lvl; trailingStop?: Lvl } | undefined;
  const entry = obj.entry as { type: string; price?: Lvl; stop?: Lvl; limit?: Lvl; timeInForce?: string; expireAfterBars?: unknown } | undefined;
  if (exits && obj.type === 'sell' && !allowShort) {
    errors.push({ path: at('exits'), message: 'exits attach to the short a sell opens: set settings.allowShort to true' });
  }
  if (entry && entry.expireAfterBars !== undefined && (entry.timeInForce ?? 'day') !== 'gtc') {
    errors.push({ path: at('entry', 'expireAfterBars'), message: 'expireAfterBars needs timeInForce "gtc" (bar and day orders expire by themselves)' });
  }
  // A percentage of 100 or more below a price is a level at or below zero.
  const below = (l: Lvl | undefined, p: (string | number)[], name: string) => {
    if (l && typeof l.percent === 'number' && l.percent >= 100) errors.push({ path: at(...p, 'percent'), message: `${name} of ${l.percent} % is at or below zero: expected less than 100` });
  };
  if (side === 1) {
    below(exits?.stopLoss, ['exits', 'stopLoss'], "a long's stop-loss");
    below(exits?.trailingStop, ['exits', 'trailingStop'], "a long's trailing stop");
  } else if (side === -1) {
    below(exits?.takeProfit, ['exits', 'takeProfit'], "a short's take-profit");
  }
  if (entry?.type === 'limit' && obj.type === 'buy') below(entry.price, ['entry', 'price'], 'a buy limit');
  if (entry?.type === 'stop' && obj.type === 'sell') below(entry.price, ['entry', 'price'], 'a sell stop');
  // Literal prices: the stop must be on the losing side of the entry and the target on the winning side.
  const ref = entry?.type === 'stopLimit' ? entry.stop?.price : entry?.price?.price;
  if (typeof ref !== 'number' || side === 0) return;
  const sl = exits?.stopLoss?.price, tp = exits?.takeProfit?.price;
  if (typeof sl === 'number' && (sl - ref) * side >= 0) {
    errors.push({ path: at('exits', 'stopLoss', 'price'), message: `${what} stop-loss (${sl}) must be ${side === 1 ? 'below' : 'above'} its entry price (${ref})` });
  }
  if (typeof tp === 'number' && (tp - ref) * side <= 0) {
    errors.push({ path: at('exits', 'takeProfit', 'price'), message: `${what} take-profit (${tp}) must be ${side === 1 ? 'above' : 'below'} its entry price (${ref})` });
  }
}
