import { useMemo, useState } from 'react';
import type { Candidate } from '../../optimize/index.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import type { Draft } from '../doc/draft.ts';
import { formatCount } from '../results/format.ts';
import type { Optimizer } from '../runner-optimize.ts';
import { applyParams, buildJob, DEFAULT_MIN_TRADES, initialForm, type OptimizeForm } from './form.ts';
import { Heatmap } from './Heatmap.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { SettingsFields } from './SettingsFields.tsx';
import { ConstraintsNote, SpaceForm } from './SpaceForm.tsx';
import { useOptimize } from './useOptimize.ts';
import { WalkForwardTable } from './WalkForwardTable.tsx';

export interface OptimizePageProps {
  /** The validated document; null while it has problems. */
  doc: StrategyDocument | null;
  /** The edited document, which Apply changes (through the same undoable history as the Strategy page). */
  draft: Draft | null;
  optimizer: Optimizer | null;
  onApply: (draft: Draft) => void;
}

export function OptimizePage({ doc, draft, optimizer, onApply }: OptimizePageProps) {
  if (!doc) return <p className="panel">The document has problems; fix them on the Strategy page to optimize it.</p>;
  // A new parameter set (another template, a renamed parameter) starts a fresh form.
  return <OptimizeLab key={Object.keys(doc.parameters).join('|')} doc={doc} draft={draft} optimizer={optimizer} onApply={onApply} />;
}

function OptimizeLab({ doc, draft, optimizer, onApply }: OptimizePageProps & { doc: StrategyDocument }) {
  const [form, setForm] = useState<OptimizeForm>(() => initialForm(doc));
  const [applied, setApplied] = useState<string | null>(null);
  const opt = useOptimize(optimizer);
  const built = useMemo(() => buildJob(doc, form), [doc, form]);
  const searched = Object.keys(form.ranges).filter((n) => form.ranges[n]!.include);
  const set = (patch: Partial<OptimizeForm>) => setForm((f) => ({ ...f, ...patch }));
  const result = opt.result?.result;
  const shownParams = result?.space.map((s) => s.name) ?? searched;

  const apply = (c: Candidate) => {
    if (!draft) return;
    onApply(applyParams(draft, c.params));
    setApplied(Object.entries(c.params).map(([k, v]) => `$${k} = ${v}`).join(', '));
  };

  return (
    <>
      <section className="panel optimize" aria-labelledby="h-opt">
        <h2 id="h-opt">Optimize</h2>
        <form onSubmit={(e) => { e.preventDefault(); if (built.ok) void opt.run(built.doc, built.job); }}>
          <SpaceForm doc={doc} ranges={form.ranges} onChange={(name, r) => set({ ranges: { ...form.ranges, [name]: r } })}
            method={form.method} evaluations={Number(form.evaluations)} />
          <ConstraintsNote doc={doc} />
          <SettingsFields form={form} set={set} searched={searched} />
          {!built.ok && <p role="alert" className="field-error">{built.error}</p>}
          {!optimizer && <p className="muted">No engine in this build: optimization needs the worker pool.</p>}
          <div className="run-controls">
            <button type="submit" disabled={!built.ok || !optimizer || opt.running}>Run optimization</button>
            {opt.running && <button type="button" onClick={opt.cancel}>Cancel</button>}
          </div>
          <Progress running={opt.running} p={opt.progress} />
          {opt.error && <p role="alert" className="field-error">{inAppWords(opt.error)}</p>}
        </form>
      </section>
      {result && (
        <section className="panel optimize" aria-labelledby="h-opt-results">
          <h2 id="h-opt-results">Results</h2>
          <p>
            {formatCount(result.evaluations)} evaluations{excludedText(result.gridSize, result.feasibleSize)} in {(result.elapsedMs / 1000).toFixed(2)} s
            ({formatCount(Math.round(result.evaluationsPerSecond))}/s), {result.method}, objective {result.objective}, stopped: {result.stopReason}.
            {result.walkForward && ' Walk-forward: the table lists the last window\'s candidates (what one would trade from the end of the data on).'}
          </p>
          {applied && <p role="status">Applied {applied} to the document's defaults.</p>}
          <FewTrades top={result.top} minTrades={Number(form.minTrades) || 0} />
          <ResultsTable top={result.top} params={shownParams} onApply={apply} />
          {opt.result?.heatmap && <Heatmap map={opt.result.heatmap} objective={result.objective} />}
          {result.walkForward && <WalkForwardTable wf={result.walkForward} params={shownParams} />}
        </section>
      )}
    </>
  );
}

/** " of 1,725 combinations (235 excluded by the parameter constraints)", or nothing without constraints. */
function excludedText(gridSize: number, feasibleSize: number | null): string {
  if (feasibleSize === null) return ` of ${formatCount(gridSize)} combinations, some excluded by the parameter constraints`;
  if (feasibleSize === gridSize) return '';
  return ` of ${formatCount(feasibleSize)} combinations (${formatCount(gridSize - feasibleSize)} excluded by the parameter constraints)`;
}

/** The optimizer also serves the CLI; its advice names CLI flags, which mean nothing on this page. */
function inAppWords(message: string): string {
  return message.replace(/use --method random or genetic/g, 'choose the random or genetic method');
}

/** Too few trades make a winner's statistics noise; say so next to the table. */
function FewTrades({ top, minTrades }: { top: readonly Candidate[]; minTrades: number }) {
  const floor = Math.max(minTrades, DEFAULT_MIN_TRADES);
  const thin = top.slice(0, 5).filter((c) => c.stats.tradeCount < floor * 2).length;
  if (thin === 0) return null;
  return (
    <p className="warning" role="note">
      {thin} of the top {Math.min(5, top.length)} candidates made fewer than {formatCount(floor * 2)} trades: their statistics rest on
      few decisions and may not repeat. Raise “Min trades” to exclude them.
    </p>
  );
}

function Progress({ running, p }: { running: boolean; p: ReturnType<typeof useOptimize>['progress'] }) {
  if (!running) return null;
  const label = p
    ? `${p.stage === 'heatmap' ? 'Heatmap' : p.windows ? `Window ${(p.window ?? 0) + 1} of ${p.windows}` : 'Search'}: ${formatCount(p.evaluations)} of ${formatCount(p.total)} evaluations, ${formatCount(Math.round(p.perSecond))}/s`
    : 'Starting…';
  return (
    <div role="status">
      <progress max={p?.total || 1} value={p?.evaluations ?? 0} aria-label="Optimization progress" /> {label}
    </div>
  );
}
