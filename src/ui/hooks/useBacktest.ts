import { useMutation } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import type { Runner, RunProgress } from '../runner.ts';

export interface Backtest {
  run(doc: StrategyDocument): void;
  cancel(): void;
  running: boolean;
  progress: RunProgress | null;
  error: Error | null;
  result: RunResult | null;
  /** The document the shown result was computed from. */
  resultDoc: StrategyDocument | null;
}

export function useBacktest(runner: Runner | null, onDone: (result: RunResult, doc: StrategyDocument) => void): Backtest {
  const abort = useRef<AbortController | null>(null);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const mutation = useMutation({
    mutationFn: async (doc: StrategyDocument) => {
      if (!runner) throw new Error('no backtest engine is connected');
      abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      setProgress({ phase: 'queued', fraction: null });
      try {
        return await runner.run(doc, { signal: ctl.signal, onProgress: setProgress });
      } finally {
        setProgress(null);
      }
    },
    onSuccess: (result, doc) => onDone(result, doc),
  });
  const { mutate } = mutation;
  const run = useCallback((doc: StrategyDocument) => mutate(doc), [mutate]);
  const cancel = useCallback(() => abort.current?.abort(), []);
  return {
    run,
    cancel,
    running: mutation.isPending,
    progress,
    error: mutation.error,
    result: mutation.data ?? null,
    resultDoc: mutation.variables ?? null,
  };
}
