import { ASSET_PLACEHOLDER, type StrategyDocument } from '../../schema/index.ts';

/** Every symbol a run of this document reads bars for: universe, benchmark, and any asset named in a strategy. */
export function requiredSymbols(doc: StrategyDocument): string[] {
  const out = new Set<string>(doc.settings.universe);
  if (doc.settings.benchmark) out.add(doc.settings.benchmark);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (typeof o.asset === 'string' && o.asset !== ASSET_PLACEHOLDER) out.add(o.asset);
      if (Array.isArray(o.candidates)) for (const c of o.candidates) if (typeof c === 'string') out.add(c);
      Object.values(o).forEach(visit);
    }
  };
  visit(doc.strategies);
  return [...out];
}
