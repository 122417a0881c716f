import { useEffect } from 'react';
import type { StrategyDocument } from '../../schema/index.ts';
import { whenIdle } from '../idle.ts';
import type { Runner } from '../runner.ts';

/** Quiet time after the last edit before a run of the document is readied (an edit burst prepares once). */
export const PREPARE_DELAY_MS = 1500;

/** Timers and the idle callback, injected so a test drives them. */
export interface PrepareScheduler {
  setTimer(f: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Runs `f` when the page is idle (requestIdleCallback where there is one). */
  idle(f: () => void): void;
}

const browserScheduler: PrepareScheduler = {
  setTimer: (f, ms) => setTimeout(f, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  idle: (f) => whenIdle(f, 0, 5000),
};

/**
 * Has `prepare` ready a run of `doc` once edits have paused for PREPARE_DELAY_MS and the page is idle; returns
 * the cancel that a newer document (or leaving the page) calls. A failure to prepare is only a lost head start:
 * the run itself reports any real problem, so it is dropped here.
 */
export function schedulePrepare(prepare: (doc: StrategyDocument) => Promise<void>, doc: StrategyDocument, s: PrepareScheduler = browserScheduler): () => void {
  let live = true;
  const t = s.setTimer(() => s.idle(() => { if (live) void prepare(doc).catch(() => undefined); }), PREPARE_DELAY_MS);
  return () => {
    live = false;
    s.clearTimer(t);
  };
}

/** The Strategy page's valid document, readied for Run in the background (Runner.prepare). */
export function usePrepareRun(runner: Runner | null, doc: StrategyDocument | null): void {
  useEffect(() => {
    if (!runner?.prepare || !doc) return;
    return schedulePrepare((d) => runner.prepare!(d), doc);
  }, [runner, doc]);
}
