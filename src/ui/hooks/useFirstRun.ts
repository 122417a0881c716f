import { useEffect, useRef, useState } from 'react';
import type { StrategyDocument } from '../../schema/index.ts';
import type { Draft } from '../doc/draft.ts';

export interface FirstRun {
  /** True when `doc` is the document the first-visit run started with (whether or not it was edited since). */
  isFirstRun(doc: StrategyDocument): boolean;
  /** True while the draft is still the one the first-visit run started from (the user has not edited it). */
  untouched(): boolean;
}

/**
 * A first visit (nothing saved on this device, no shared link) runs the default document by itself, so the
 * newcomer sees a result without a click. It starts once, as soon as the default document is valid and an
 * engine is connected; later visits open the saved draft and wait for the user.
 */
export function useFirstRun(enabled: boolean, draft: Draft | null, doc: StrategyDocument | null, run: ((doc: StrategyDocument) => void) | null): FirstRun {
  const [eligible] = useState(enabled);
  const started = useRef<StrategyDocument | null>(null);
  const startedDraft = useRef<Draft | null>(null);
  const draftNow = useRef(draft);
  draftNow.current = draft;
  useEffect(() => {
    if (!eligible || started.current || !doc || !run) return;
    started.current = doc;
    startedDraft.current = draftNow.current;
    run(doc);
  }, [eligible, doc, run]);
  return {
    isFirstRun: (d) => started.current !== null && d === started.current,
    untouched: () => draftNow.current === startedDraft.current,
  };
}
