import { proxy } from 'comlink';
import { useCallback, useRef, useState } from 'react';
import type { ImportReport } from '../../data/csv/report.ts';
import type { ProgressInfo } from '../../data/csv/source.ts';
import type { DatasetInfo } from '../../data/store.ts';
import type { DataClient } from './client.ts';

export type ImportState =
  | { kind: 'idle' }
  | { kind: 'running'; file: string; progress: ProgressInfo | null; queued: number }
  | { kind: 'done'; file: string; report: ImportReport; info: DatasetInfo }
  | { kind: 'cancelled'; file: string }
  | { kind: 'failed'; file: string; message: string };

let jobs = 0;

/**
 * Imports files one after another in the data worker, with progress and cancel. A cancel or failure
 * leaves the previously stored dataset as it was (the worker writes atomically).
 */
export function useImport(client: DataClient, onStored: () => void) {
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const current = useRef<string | null>(null);
  const cancelled = useRef(false);

  const start = useCallback(
    async (files: readonly File[], symbol: string) => {
      cancelled.current = false;
      for (let i = 0; i < files.length; i++) {
        const file = files[i]!;
        if (cancelled.current) return;
        const jobId = `import-${++jobs}-${file.name}`;
        current.current = jobId;
        setState({ kind: 'running', file: file.name, progress: null, queued: files.length - i - 1 });
        const onProgress = proxy((progress: ProgressInfo) => {
          setState((s) => (s.kind === 'running' && current.current === jobId ? { ...s, progress } : s));
        });
        try {
          const opts = symbol.trim() && files.length === 1 ? { fileName: file.name, symbol: symbol.trim().toUpperCase() } : { fileName: file.name };
          const { report, info } = await client.importBars(jobId, file, opts, onProgress);
          setState({ kind: 'done', file: file.name, report, info });
          onStored();
        } catch (e) {
          const name = e instanceof Error || e instanceof DOMException ? e.name : '';
          if (name === 'AbortError' || cancelled.current) {
            setState({ kind: 'cancelled', file: file.name });
            return;
          }
          setState({ kind: 'failed', file: file.name, message: e instanceof Error ? e.message : String(e) });
          return;
        } finally {
          current.current = null;
        }
      }
    },
    [client, onStored],
  );

  const cancel = useCallback(() => {
    cancelled.current = true;
    if (current.current) void client.cancel(current.current);
  }, [client]);

  return { state, start, cancel };
}
