import type { Method, MetricName } from '../../optimize/index.ts';
import { METHOD_NAMES, OBJECTIVES, type OptimizeForm } from './form.ts';

type Set = (patch: Partial<OptimizeForm>) => void;

function Num({ label, value, onChange, hint }: { label: string; value: string; onChange: (v: string) => void; hint?: string }) {
  return (
    <label className="field">
      {label}
      <input type="number" inputMode="decimal" value={value} placeholder={hint} onChange={(e) => onChange(e.target.value)} size={8} />
    </label>
  );
}

/** Method, objective, constraints, budget, seed, heatmap axes and walk-forward. */
export function SettingsFields({ form, set, searched }: { form: OptimizeForm; set: Set; searched: string[] }) {
  return (
    <div className="opt-settings">
      <fieldset>
        <legend>Search</legend>
        <label className="field">
          Method
          <select value={form.method} onChange={(e) => set({ method: e.target.value as Method })}>
            {METHOD_NAMES.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <Num label={form.method === 'grid' ? 'Max evaluations' : 'Evaluations'} value={form.evaluations} onChange={(v) => set({ evaluations: v })} />
        <Num label="Seed" value={form.seed} onChange={(v) => set({ seed: v })} />
        <Num label="Top N" value={form.top} onChange={(v) => set({ top: v })} />
      </fieldset>
      <fieldset>
        <legend>Objective</legend>
        <label className="field">
          Maximize
          <select value={form.objective} onChange={(e) => set({ objective: e.target.value as MetricName | 'mix' })}>
            {OBJECTIVES.map((m) => <option key={m} value={m}>{m}</option>)}
            <option value="mix">weighted mix</option>
          </select>
        </label>
        {form.objective === 'mix' && OBJECTIVES.map((m) => (
          <Num key={m} label={`Weight of ${m}`} value={form.weights[m]} onChange={(v) => set({ weights: { ...form.weights, [m]: v } })} />
        ))}
        <Num label="Min trades" value={form.minTrades} hint="none" onChange={(v) => set({ minTrades: v })} />
        <Num label="Max drawdown %" value={form.maxDrawdown} hint="none" onChange={(v) => set({ maxDrawdown: v })} />
      </fieldset>
      <fieldset>
        <legend>Heatmap</legend>
        {(['heatX', 'heatY'] as const).map((k) => (
          <label className="field" key={k}>
            {k === 'heatX' ? 'X parameter' : 'Y parameter'}
            <select value={form[k]} onChange={(e) => set({ [k]: e.target.value })}>
              <option value="">none</option>
              {searched.map((p) => <option key={p} value={p}>${p}</option>)}
            </select>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Walk-forward</legend>
        <label><input type="checkbox" checked={form.walkForward} onChange={(e) => set({ walkForward: e.target.checked })} /> Walk-forward</label>
        {form.walkForward && (
          <>
            <Num label="In-sample size" value={form.inSample} onChange={(v) => set({ inSample: v })} />
            <Num label="Out-of-sample size" value={form.outOfSample} onChange={(v) => set({ outOfSample: v })} />
            <label className="field">
              Unit
              <select value={form.unit} onChange={(e) => set({ unit: e.target.value as 'bars' | 'days' })}>
                <option value="bars">bars</option><option value="days">days</option>
              </select>
            </label>
            <label><input type="checkbox" checked={form.anchored} onChange={(e) => set({ anchored: e.target.checked })} /> Anchored</label>
          </>
        )}
      </fieldset>
    </div>
  );
}
