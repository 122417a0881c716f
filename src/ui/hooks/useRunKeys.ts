import { useEffect, useRef } from 'react';

/** Ctrl/Cmd+Enter runs the backtest from any page and any field (also inside the text editor), unless a field handled it. */
export function useRunKeys(run: (() => void) | null): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      // A field that gives Ctrl+Enter its own meaning (the plain-English panel's Generate) has handled it.
      if (e.defaultPrevented) return;
      if (!latest.current) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
