import { parseDuration } from '../lib/duration.ts';
import { ASSET_PLACEHOLDER, formatPath, isParamRef, type SchemaError, type StrategyDocument } from '../schema/index.ts';

/**
 * What data this device has or can get, supplied by the caller (the app's catalog plus the embedded series;
 * the CLI's data directory plus the embedded series). The LLM layer reads no store itself.
 */
export interface KnownData {
  /** Every symbol with stored or embedded bars. Empty: symbols are not checked (nothing is known to check against). */
  symbols: readonly string[];
  /** Optional: which timeframes each symbol has, for a warning when the document asks for another one. */
  timeframes?: Readonly<Record<string, readonly string[]>>;
}

const MAX_WINDOW_BARS = 10_000;

/**
 * Checks beyond the schema that decide whether a generated document can run and means what it says:
 * symbols exist, parameters are used consistently, windows are sensible. Errors go back to the model with
 * their paths; warnings reach the user.
 */
export function semanticChecks(doc: StrategyDocument, known: KnownData): { errors: SchemaError[]; warnings: SchemaError[] } {
  const errors: SchemaError[] = [];
  const warnings: SchemaError[] = [];
  const symbols = new Set(known.symbols);
  const list = [...symbols].sort().join(', ');
  const checkSymbol = (s: string, path: (string | number)[]) => {
    if (symbols.size === 0 || symbols.has(s)) return;
    errors.push({ path: formatPath(path), message: `unknown symbol "${s}": no stored or embedded data has it; use one of ${list}` });
  };
  doc.settings.universe.forEach((s, i) => {
    checkSymbol(s, ['settings', 'universe', i]);
    const tfs = known.timeframes?.[s];
    if (symbols.has(s) && tfs && tfs.length > 0 && !tfs.includes(doc.settings.timeframe)) {
      warnings.push({ path: `settings.universe[${i}]`, message: `${s} is stored as ${tfs.join(', ')} bars, not ${doc.settings.timeframe}: import ${doc.settings.timeframe} bars or change the timeframe` });
    }
  });
  if (doc.settings.benchmark) checkSymbol(doc.settings.benchmark, ['settings', 'benchmark']);

  const used = new Set<string>();
  const bar = parseDuration(doc.settings.timeframe === '1mo' ? '30d' : doc.settings.timeframe);
  const countOf = (n: unknown): number | null => (typeof n === 'number' ? n : isParamRef(n) ? (doc.parameters[n.$param]?.default ?? null) : null);

  const visit = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((x, i) => visit(x, [...path, i]));
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (isParamRef(o)) used.add(o.$param);
    if (typeof o.bars !== 'undefined' && Object.keys(o).length === 1) {
      const n = countOf(o.bars);
      if (n !== null && n > MAX_WINDOW_BARS) errors.push({ path: formatPath([...path, 'bars']), message: `a ${n}-bar window is longer than any sensible history (at most ${MAX_WINDOW_BARS})` });
      if (isParamRef(o.bars)) {
        const p = doc.parameters[o.bars.$param];
        if (p && (!Number.isInteger(p.default) || (p.min ?? p.default) < 1)) {
          errors.push({ path: formatPath([...path, 'bars']), message: `parameter "${o.bars.$param}" sets a window length, so its default and min must be whole numbers ≥ 1` });
        }
      }
    }
    if (typeof o.duration === 'string' && Object.keys(o).length === 1 && Number.isFinite(bar) && parseDuration(o.duration) < bar) {
      errors.push({ path: formatPath([...path, 'duration']), message: `a ${o.duration} window is shorter than one ${doc.settings.timeframe} bar and would hold at most one value` });
    }
    if (o.kind === 'macd') {
      const f = o.fast as Record<string, unknown> | undefined;
      const s = o.slow as Record<string, unknown> | undefined;
      const fb = countOf(f?.bars);
      const sb = countOf(s?.bars);
      if (fb !== null && sb !== null && fb >= sb) errors.push({ path: formatPath([...path, 'fast']), message: `the MACD fast window (${fb}) must be shorter than the slow one (${sb})` });
    }
    if ('op' in o && 'lhs' in o && 'rhs' in o && JSON.stringify(o.lhs) === JSON.stringify(o.rhs)) {
      errors.push({ path: formatPath(path), message: 'both sides of this comparison are the same expression, so its result never changes' });
    }
    if (typeof o.asset === 'string' && o.asset !== ASSET_PLACEHOLDER && path.length > 0) checkSymbol(o.asset, [...path, 'asset']);
    for (const [k, v] of Object.entries(o)) visit(v, [...path, k]);
  };
  doc.strategies.forEach((s, i) => visit(s, ['strategies', i]));
  for (const name of Object.keys(doc.parameters)) {
    if (!used.has(name)) warnings.push({ path: `parameters.${name}`, message: `parameter "${name}" is declared but no rule uses it` });
  }
  return { errors, warnings };
}
