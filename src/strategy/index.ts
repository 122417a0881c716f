export { canGenerate, compile, type CompileOptions } from './compile.ts';
export { CompileError, nodeKey, resolveAsset } from './resolve.ts';
export { TracedEvaluator, compareValues, exprLabel } from './trace.ts';
export { resolveParams, substitute, rebindSymbol, ParamError, type ParamValues } from './params.ts';
export type * from './plan.ts';
