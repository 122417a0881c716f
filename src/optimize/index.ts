/** The optimization lab: searches (grid, random, genetic), walk-forward, and robustness checks. */
export { optimize, type OptimizeOptions, type OptimizeResult, type OptimizeProgress } from './optimize.ts';
export { search, METHODS, DEFAULT_EVALUATIONS, GRID_CEILING, type Method, type SearchOptions, type SearchResult, type Candidate } from './search.ts';
export { inProcess, scopeRunner, invalidStats, tryCompile, type Evaluator, type EvaluatorFactory, type EvaluationScope } from './evaluator.ts';
export { METRICS, isMetric, score, feasible, objectiveLabel, type MetricName, type Objective, type Constraints } from './objective.ts';
export { buildSpace, parameterValues, SpaceError, type SearchSpace, type Dimension, type Genome } from './space.ts';
export type { GeneticOptions } from './genetic.ts';
export type { Progress } from './ledger.ts';
export type { StopReason } from './outcome.ts';
export { walkForward, type WalkForwardResult, type WalkForwardWindow, type WalkForwardProgress } from './walk-forward.ts';
export { parseWindowSizes, planWindows, sliceData, timelineOf, type WindowSizes, type WindowPlan, type Span } from './windows.ts';
export { stitch, type Stitched } from './stitch.ts';
export { bootstrap, tradeReturns, distribution, PERCENTILES, type BootstrapResult, type BootstrapOptions, type Distribution } from './bootstrap.ts';
export { heatmap, type HeatmapOptions, type HeatmapResult } from './heatmap.ts';
export { poolEvaluator, type BatchRunner } from './pool-evaluator.ts';
export { runOptimizeJob, remoteEvaluator, type OptimizeJob, type OptimizeJobResult, type JobProgress, type RemoteEvaluate, type OptimizeWorkerApi } from './job.ts';
