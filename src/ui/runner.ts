import type { AssetOverlay, Explanation } from '../rpc/engine-api.ts';
import type { RunResult, StepSeries, StrategyDocument } from '../schema/index.ts';

/** Job phases as DESIGN.md §3 "Parallelism" names them, for the ones a caller can observe mid-run. */
export type RunPhase = 'queued' | 'warmingUp' | 'running';

export interface RunProgress {
  phase: RunPhase;
  /** 0…1 of the timeline processed; null while unknown (queued, loading data). */
  fraction: number | null;
}

export interface RunOptions {
  /** Aborting rejects the promise with an AbortError and cancels the job (the engine checks a shared flag). */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

/**
 * The seam between the UI and whatever executes backtests. The worker pool implements it; main.tsx hands
 * the instance to <App runner={…}>. The UI never imports engine code, only this contract.
 */
export interface Runner {
  /** `doc` has passed parseDocument(); the runner may assume a valid, migrated document. */
  run(doc: StrategyDocument, opts?: RunOptions): Promise<RunResult>;
  /** Why each strategy did or did not act at `time` (re-evaluated with tracing on the same data). Optional: a runner without it hides "why". */
  explain?(doc: StrategyDocument, time: number, signal?: AbortSignal): Promise<Explanation[]>;
  /** Price and indicator series of the document's assets, sampled to at most `points` per asset. Optional: without it no price charts. */
  overlays?(doc: StrategyDocument, points: number, signal?: AbortSignal): Promise<AssetOverlay[]>;
  /** Readies a run of the document while the page is idle (e.g. touches the memory its bars will load into). Optional. */
  prepare?(doc: StrategyDocument): Promise<void>;
  /** The external series the document reads, exactly as its runs read them (times = when each value became known). Optional. */
  series?(doc: StrategyDocument, signal?: AbortSignal): Promise<readonly StepSeries[]>;
}
