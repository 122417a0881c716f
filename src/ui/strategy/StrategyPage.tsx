import { useMemo, type ReactNode } from 'react';
import type { DatasetInfo } from '../../data/store.ts';
import type { Strategy } from '../../schema/index.ts';
import { BuilderContext, type BuilderInfo } from '../builder/BuilderContext.ts';
import { storedSeries } from '../builder/stored-series.ts';
import type { Draft } from '../doc/draft.ts';
import type { Validation } from '../doc/validation.ts';
import { ValidationContext } from '../doc/ValidationContext.tsx';
import type { DocumentHistory } from '../hooks/useDocumentHistory.ts';
import { useTemplates } from '../hooks/useTemplates.ts';
import { useUndoKeys } from '../hooks/useUndoKeys.ts';
import { Builder, settingsOf } from './Builder.tsx';
import { DocumentEditor } from './DocumentEditor.tsx';
import { HistoryButtons } from './HistoryButtons.tsx';
import { RunControls, type RunControlsProps } from './RunControls.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import { TemplateGallery } from './TemplateGallery.tsx';

export interface StrategyPageProps {
  history: DocumentHistory;
  doc: Draft;
  validation: Validation;
  run: Omit<RunControlsProps, 'doc' | 'problemCount'>;
  /** The "Copy link" control (App owns the data client it needs). */
  share?: ReactNode;
  /** The lazily loaded "Describe in words" panel (src/ui/llm), full width under the document bar. */
  assistant?: ReactNode;
  /** Stored datasets, so each template says before the click whether it runs here. */
  catalog?: readonly DatasetInfo[];
}

function builderInfo(doc: Draft, catalog: readonly DatasetInfo[] | undefined): BuilderInfo {
  const settings = settingsOf(doc);
  const strategies = Array.isArray(doc.strategies) ? (doc.strategies as Strategy[]) : [];
  return {
    params: (doc.parameters ?? {}) as BuilderInfo['params'],
    universe: Array.isArray(settings.universe) ? settings.universe : [],
    strategyIds: strategies.map((s) => s.id).filter((id) => typeof id === 'string'),
    inRule: false,
    series: storedSeries(catalog ?? []),
  };
}

export function StrategyPage({ history, doc, validation, run, share, assistant, catalog }: StrategyPageProps) {
  const templates = useTemplates();
  useUndoKeys(history.undo, history.redo);
  const info = useMemo(() => builderInfo(doc, catalog), [doc, catalog]);
  const set = history.set;
  return (
    <ValidationContext.Provider value={validation.byPath}>
      <BuilderContext.Provider value={info}>
        <div className="strategy-page">
          <div className="doc-bar">
            <input
              type="text"
              className="doc-name"
              aria-label="Document name"
              value={typeof doc.name === 'string' ? doc.name : ''}
              onChange={(e) => set({ ...doc, name: e.target.value }, 'name')}
            />
            <HistoryButtons canUndo={history.canUndo} canRedo={history.canRedo} onUndo={history.undo} onRedo={history.redo} />
            {share}
            <RunControls {...run} doc={validation.doc} problemCount={validation.errors.length} />
          </div>
          {assistant}
          <aside className="panel side">
            <section aria-labelledby="h-templates">
              <h2 id="h-templates">Templates</h2>
              <TemplateGallery templates={templates.data} error={templates.error} onSelect={(t) => set(t.doc)} catalog={catalog} />
            </section>
            <section aria-labelledby="h-settings">
              <h2 id="h-settings">Settings</h2>
              <SettingsForm value={settingsOf(doc)} onChange={(s) => set({ ...doc, settings: s }, 'settings')} path={['settings']} catalog={catalog} />
            </section>
          </aside>
          <section className="panel main" aria-labelledby="h-builder">
            <h2 id="h-builder">Builder</h2>
            <Builder doc={doc} onChange={set} />
          </section>
          <section className="panel editor" aria-labelledby="h-editor">
            <h2 id="h-editor">Document</h2>
            <DocumentEditor doc={doc} onChange={(d) => set(d, 'editor')} errors={validation.errors} warnings={validation.warnings} />
          </section>
        </div>
      </BuilderContext.Provider>
    </ValidationContext.Provider>
  );
}
