import { useEffect } from 'react';
import { DEFAULT_SYMBOL, DEFAULT_TEMPLATE } from '../defaults.ts';
import type { Draft } from '../doc/draft.ts';
import { useTemplates, type Template } from './useTemplates.ts';

/** The default template on the embedded series, so a first visit can run without importing data. */
export function firstVisitDocument(t: Template): Draft {
  return { ...t.doc, settings: { ...t.doc.settings, universe: [DEFAULT_SYMBOL] } };
}

/** Opens the default template once templates arrive, unless a document (e.g. a restored draft) is already open. */
export function useDefaultDocument(doc: Draft | null, set: (doc: Draft) => void) {
  const templates = useTemplates();
  useEffect(() => {
    if (doc !== null || !templates.data) return;
    const t = templates.data.find((x) => x.file === DEFAULT_TEMPLATE) ?? templates.data[0];
    if (t) set(firstVisitDocument(t));
  }, [doc, templates.data, set]);
  return templates;
}
