import { useCallback, useReducer } from 'react';
import type { Draft } from '../doc/draft.ts';

const LIMIT = 200;
/** Keystrokes in one field within this many ms become one undo step. */
const COALESCE_MS = 1000;

interface State {
  past: Draft[];
  present: Draft | null;
  future: Draft[];
  lastTag: string | null;
  lastTime: number;
}

type Action =
  | { type: 'set'; doc: Draft; tag: string | null; time: number }
  | { type: 'undo' }
  | { type: 'redo' };

function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'set': {
      if (a.doc === s.present) return s;
      const merge = s.present !== null && a.tag !== null && a.tag === s.lastTag && a.time - s.lastTime < COALESCE_MS;
      const past = merge || s.present === null ? s.past : [...s.past, s.present].slice(-LIMIT);
      return { past, present: a.doc, future: [], lastTag: a.tag, lastTime: a.time };
    }
    case 'undo': {
      const prev = s.past[s.past.length - 1];
      if (prev === undefined || s.present === null) return s;
      return { past: s.past.slice(0, -1), present: prev, future: [s.present, ...s.future], lastTag: null, lastTime: 0 };
    }
    case 'redo': {
      const next = s.future[0];
      if (next === undefined || s.present === null) return s;
      return { past: [...s.past, s.present], present: next, future: s.future.slice(1), lastTag: null, lastTime: 0 };
    }
  }
}

export interface DocumentHistory {
  doc: Draft | null;
  /** `tag` names the edit's source (a field, the text editor); consecutive quick edits with one tag merge. */
  set(doc: Draft, tag?: string): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
}

export function useDocumentHistory(initial: Draft | null): DocumentHistory {
  const [s, dispatch] = useReducer(reducer, { past: [], present: initial, future: [], lastTag: null, lastTime: 0 });
  const set = useCallback((doc: Draft, tag?: string) => dispatch({ type: 'set', doc, tag: tag ?? null, time: performance.now() }), []);
  const undo = useCallback(() => dispatch({ type: 'undo' }), []);
  const redo = useCallback(() => dispatch({ type: 'redo' }), []);
  return { doc: s.present, set, undo, redo, canUndo: s.past.length > 0, canRedo: s.future.length > 0 };
}
