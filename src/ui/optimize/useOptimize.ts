import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobProgress, OptimizeJob, OptimizeJobResult } from '../../optimize/index.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import type { Optimizer } from '../runner-optimize.ts';

export interface LiveProgress {
  stage: JobProgress['stage'];
  evaluations: number;
  total: number;
  perSecond: number;
  window?: number;
  windows?: number;
}

/** One optimization at a time: its progress (with evaluations per second), result or error, and cancel. */
export function useOptimize(optimizer: Optimizer | null) {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<LiveProgress | null>(null);
  const [result, setResult] = useState<OptimizeJobResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ctl = useRef<AbortController | null>(null);
  useEffect(() => () => ctl.current?.abort(), []);

  const run = useCallback(async (doc: StrategyDocument, job: OptimizeJob) => {
    if (!optimizer) return;
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    setRunning(true);
    setError(null);
    setProgress(null);
    const t0 = performance.now();
    // Evaluations are counted per stage (search, heatmap); the rate is over the whole job.
    let before = 0, stage: JobProgress['stage'] = 'search', last = 0;
    try {
      const out = await optimizer.optimize(doc, job, {
        signal: c.signal,
        onProgress: (p) => {
          if (c.signal.aborted) return;
          if (p.stage !== stage) { before += last; stage = p.stage; }
          last = p.evaluations;
          const s = (performance.now() - t0) / 1000;
          setProgress({ stage: p.stage, evaluations: p.evaluations, total: p.total, perSecond: s > 0 ? (before + p.evaluations) / s : 0, window: p.window, windows: p.windows });
        },
      });
      if (!c.signal.aborted) setResult(out);
    } catch (e) {
      if (!c.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      else setError('Cancelled.');
    } finally {
      if (ctl.current === c) {
        ctl.current = null;
        setRunning(false);
      }
    }
  }, [optimizer]);

  const cancel = useCallback(() => ctl.current?.abort(), []);
  return { running, progress, result, error, run, cancel };
}
