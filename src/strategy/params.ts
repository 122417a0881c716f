import { isParamRef, type StrategyDocument } from '../schema/index.ts';

export type ParamValues = Readonly<Record<string, number>>;

export class ParamError extends Error {
  override name = 'ParamError';
}

/** The document's defaults with overrides applied; an override for an undeclared name is an error. */
export function resolveParams(doc: StrategyDocument, overrides: ParamValues = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(doc.parameters)) out[name] = p.default;
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in doc.parameters)) throw new ParamError(`parameters.${name}: unknown parameter`);
    if (!Number.isFinite(value)) throw new ParamError(`parameters.${name}: expected a finite number, got ${value}`);
    out[name] = value;
  }
  return out;
}

/** Deep copy of `node` with every {"$param": name} replaced by its value. */
export function substitute<T>(node: T, values: ParamValues): T {
  if (Array.isArray(node)) return node.map((x) => substitute(x, values)) as T;
  if (typeof node !== 'object' || node === null) return node;
  if (isParamRef(node)) {
    const v = values[node.$param];
    if (v === undefined) throw new ParamError(`unknown parameter "${node.$param}"`);
    return v as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = substitute(v, values);
  return out as T;
}

/**
 * For a single-asset document: run it on another symbol. Every reference to the old symbol (explicit or
 * implied by omission) now means `symbol`; so does the benchmark when it was the old symbol or unset.
 */
export function rebindSymbol(doc: StrategyDocument, symbol: string): StrategyDocument {
  const universe = doc.settings.universe;
  if (universe.length !== 1) {
    throw new ParamError(`settings.universe: --symbol rebinds single-asset documents only (this one has ${universe.length})`);
  }
  const old = universe[0]!;
  const swap = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(swap);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = (k === 'asset' && v === old) ? symbol : swap(v);
    return out;
  };
  const benchmark = doc.settings.benchmark === undefined || doc.settings.benchmark === old ? symbol : doc.settings.benchmark;
  return {
    ...doc,
    settings: { ...doc.settings, universe: [symbol], benchmark },
    strategies: doc.strategies.map((s) => swap(s) as typeof s),
  };
}
