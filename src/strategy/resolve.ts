import { ASSET_PLACEHOLDER, type IndicatorNode } from '../schema/index.ts';
import { indicatorInstance, stableKey, type IndicatorInstanceNode } from './keys.ts';
import type { EvalContext, IndicatorSource } from './plan.ts';

export class CompileError extends Error {
  override name = 'CompileError';
}


export function resolveAsset(assets: readonly string[], asset: string | undefined, ctx: EvalContext): number {
  if (asset === undefined) return ctx.candidate >= 0 ? ctx.candidate : ctx.asset;
  if (asset === ASSET_PLACEHOLDER) {
    if (ctx.candidate < 0) throw new CompileError('"$asset" is only meaningful inside a universe rule');
    return ctx.candidate;
  }
  const i = assets.indexOf(asset);
  if (i < 0) throw new CompileError(`unknown symbol "${asset}"`);
  return i;
}

/**
 * The canonical key of a non-arithmetic expression node in a context: equal keys share one slot, which
 * is how identical indicators across strategies are computed once.
 */
export function nodeKey(assets: readonly string[], node: IndicatorNode, ctx: EvalContext): string {
  switch (node.kind) {
    case 'price': return `price:${resolveAsset(assets, node.asset, ctx)}:${node.field}`;
    case 'lastOrderPrice': return `lop:${resolveAsset(assets, node.asset, ctx)}`;
    case 'position': return `pos:${resolveAsset(assets, node.asset, ctx)}:${node.field}`;
    case 'cash': case 'equity': case 'drawdown': return node.kind;
    case 'sinceSignal': return `since:${node.strategy ?? `#${ctx.strategy}`}:${node.unit}`;
    case 'series': return `series:${node.name}:${node.global ? -1 : resolveAsset(assets, node.asset, ctx)}`;
    case 'calendar': return `cal:${node.field}`;
    case 'math': throw new CompileError('arithmetic has no slot of its own');
    default: return indicatorRef(assets, node, ctx).key;
  }
}

/** An indicator node in a context: its instance (asset, spec, source, output), the instance's key and the node's slot key. */
export interface IndicatorRef extends ReturnType<typeof indicatorInstance> {
  asset: number;
  /** instanceKey: equal for every output of one instance. */
  instance: string;
  /** nodeKey: equal for nodes that read the same output of the same instance. */
  key: string;
}

export function indicatorRef(assets: readonly string[], node: IndicatorInstanceNode, ctx: EvalContext): IndicatorRef {
  const inst = indicatorInstance(node);
  const asset = resolveAsset(assets, node.asset, ctx);
  const instance = instanceKey(asset, inst.spec, inst.source);
  // A literal, not a spread of inst (a spread cost as much as the rest of compileCondition in a W1 sweep).
  return { spec: inst.spec, source: inst.source, output: inst.output, asset, instance, key: `ind:${instance}#${inst.output}` };
}

export function instanceKey(asset: number, spec: unknown, source: IndicatorSource): string {
  return stableKey({ asset, spec, source });
}

