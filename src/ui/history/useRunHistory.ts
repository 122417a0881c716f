import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import { wallClock, type Clock } from '../../lib/clock.ts';
import { compactRun, runIdentity, RunStore, type StoredRun } from './run-store.ts';

export interface RunHistory {
  runs: StoredRun[];
  error: Error | null;
  save(doc: StrategyDocument, result: RunResult): void;
  remove(id: string): void;
  relabel(id: string, label: string): void;
}

const KEY = ['run-history'];

/** The IndexedDB run history through react-query: one database connection per app, opened on first use. */
export function useRunHistory(dbName?: string, clock: Clock = wallClock): RunHistory {
  const qc = useQueryClient();
  const [store] = useState(() => {
    let p: Promise<RunStore> | null = null;
    return () => (p ??= RunStore.open(dbName));
  });
  const list = useQuery({ queryKey: KEY, queryFn: async () => (await store()).list() });
  const invalidate = () => qc.invalidateQueries({ queryKey: KEY });
  const saveM = useMutation({
    mutationFn: async (run: StoredRun) => (await store()).save(run),
    onSuccess: invalidate,
  });
  const removeM = useMutation({ mutationFn: async (id: string) => (await store()).delete(id), onSuccess: invalidate });
  const labelM = useMutation({
    mutationFn: async ({ id, label }: { id: string; label: string }) => (await store()).relabel(id, label),
    onSuccess: invalidate,
  });
  const { mutate: saveRun } = saveM;
  const { mutate: removeRun } = removeM;
  const { mutate: labelRun } = labelM;
  const save = useCallback(
    (doc: StrategyDocument, result: RunResult) => {
      const time = clock.now();
      void runIdentity(doc, result).then((id) => saveRun(compactRun(doc, result, time, id)));
    },
    [saveRun, clock],
  );
  const relabel = useCallback((id: string, label: string) => labelRun({ id, label }), [labelRun]);
  return { runs: list.data ?? [], error: list.error ?? saveM.error ?? removeM.error ?? labelM.error, save, remove: removeRun, relabel };
}
