import { useId, type ReactNode } from 'react';
import { TIMEFRAMES, type SettingsInput } from '../../schema/index.ts';
import { AssetInput } from '../builder/AssetInput.tsx';
import { EnumSelect } from '../builder/EnumSelect.tsx';
import { FieldErrors } from '../builder/FieldErrors.tsx';
import { NumberInput } from '../builder/NumberInput.tsx';
import { withKey } from '../builder/set.ts';
import { SymbolListInput } from '../builder/SymbolListInput.tsx';
import type { DatasetInfo } from '../../data/store.ts';
import { childPath, type Path } from '../doc/path.ts';
import { rangeHint, storedRange } from './data-range.ts';

export interface SettingsFormProps {
  value: SettingsInput;
  onChange: (value: SettingsInput) => void;
  path: Path;
  /** Stored datasets: the From / to row says which span the universe's bars cover. */
  catalog?: readonly DatasetInfo[];
}

function Row({ label, path, children }: { label: string; path?: Path; children: ReactNode }) {
  return (
    <div className="set-row">
      <span className="set-label" aria-hidden="true">{label}</span>
      <span className="set-ctl">
        {children}
        {path && <FieldErrors path={path} />}
      </span>
    </div>
  );
}

/** Omitted settings show the schema's defaults as placeholders, so the form never writes defaults the user did not choose. */
export function SettingsForm({ value, onChange, path, catalog }: SettingsFormProps) {
  const set = (key: keyof SettingsInput, v: unknown) => onChange(withKey(value, key, v));
  const fees = value.fees ?? {};
  const slip = value.slippage ?? {};
  const range = value.range ?? {};
  const setRange = (key: 'from' | 'to', v: string) => {
    const next = withKey(range, key, v || undefined);
    set('range', Object.keys(next).length ? next : undefined);
  };
  const p = (...k: (string | number)[]) => childPath(path, ...k);
  const hintId = useId();
  const timeframe = value.timeframe ?? '1d';
  const universe = Array.isArray(value.universe) ? value.universe.filter((u): u is string => typeof u === 'string') : [];
  const stored = catalog ? storedRange(catalog, universe, timeframe) : null;
  const hint = stored && rangeHint(stored, timeframe);
  // The date pickers open on the stored span (typing outside it stays possible: the engine reports it).
  const day = (ms: number | null | undefined) => (ms == null ? undefined : new Date(ms).toISOString().slice(0, 10));
  return (
    <div className="settings">
      <Row label="Universe">
        <SymbolListInput label="Universe symbols" value={value.universe} onChange={(u) => set('universe', u)} path={p('universe')} />
      </Row>
      <Row label="Timeframe" path={p('timeframe')}>
        <EnumSelect label="Timeframe" value={value.timeframe ?? '1d'} options={TIMEFRAMES} onChange={(t) => set('timeframe', t)} />
      </Row>
      <Row label="From / to">
        <input type="date" aria-label="Start date" value={range.from?.slice(0, 10) ?? ''} onChange={(e) => setRange('from', e.target.value)}
          min={day(stored?.from)} max={day(stored?.to)} aria-describedby={hint ? hintId : undefined} />
        <input type="date" aria-label="End date" value={range.to?.slice(0, 10) ?? ''} onChange={(e) => setRange('to', e.target.value)}
          min={day(stored?.from)} max={day(stored?.to)} aria-describedby={hint ? hintId : undefined} />
        {hint && <span id={hintId} className="muted data-range">{hint}</span>}
        <FieldErrors path={p('range', 'from')} />
        <FieldErrors path={p('range', 'to')} />
      </Row>
      <Row label="Initial cash" path={p('initialCash')}>
        <span className="with-unit">
          <NumberInput optional label="Initial cash" placeholder="10000" value={value.initialCash} onChange={(v) => set('initialCash', v)} />
          <span className="unit">$</span>
        </span>
      </Row>
      <Row label="Fees">
        <span className="with-unit">
          <NumberInput optional label="Fee fraction of notional" placeholder="fraction 0" value={fees.fraction} onChange={(v) => set('fees', withKey(fees, 'fraction', v))} />
          <span className="unit" title="A fraction of each order's value: 0.001 is 0.1 %">× value{fees.fraction ? ` (${Number((fees.fraction * 100).toPrecision(6))} %)` : ''}</span>
        </span>
        <span className="with-unit">
          <NumberInput optional label="Fee per share" placeholder="/share 0" value={fees.perShare} onChange={(v) => set('fees', withKey(fees, 'perShare', v))} />
          <span className="unit">$/share</span>
        </span>
        <span className="with-unit">
          <NumberInput optional label="Fee per order" placeholder="/order 0" value={fees.perOrder} onChange={(v) => set('fees', withKey(fees, 'perOrder', v))} />
          <span className="unit">$/order</span>
        </span>
        <span className="with-unit">
          <NumberInput optional label="Minimum fee per order" placeholder="min 0" value={fees.minimum} onChange={(v) => set('fees', withKey(fees, 'minimum', v))} />
          <span className="unit">$ min/order</span>
        </span>
        {(['fraction', 'perShare', 'perOrder', 'minimum'] as const).map((k) => <FieldErrors key={k} path={p('fees', k)} />)}
      </Row>
      <Row label="Slippage">
        <span className="with-unit">
          <NumberInput optional label="Slippage in basis points" placeholder="bps 0" value={slip.bps} onChange={(v) => set('slippage', withKey(slip, 'bps', v))} />
          <span className="unit" title="Basis points of the price: 1 bp = 0.01 %">bp</span>
        </span>
        <span className="with-unit">
          <NumberInput optional label="Fixed slippage per unit" placeholder="fixed 0" value={slip.fixed} onChange={(v) => set('slippage', withKey(slip, 'fixed', v))} />
          <span className="unit">$/unit</span>
        </span>
        <FieldErrors path={p('slippage', 'bps')} />
        <FieldErrors path={p('slippage', 'fixed')} />
      </Row>
      <Row label="Fill at">
        <EnumSelect label="Fill model" value={value.fillModel ?? 'nextOpen'} options={['nextOpen', 'close'] as const}
          names={{ nextOpen: 'next bar open', close: 'signal bar close' }} onChange={(v) => set('fillModel', v)} />
        {value.fillModel === 'close' && (
          <span className="warning" role="note">
            Fills at the close of the bar that produced the signal: optimistic, results will look better than trading can achieve.
          </span>
        )}
      </Row>
      <Row label="Prices" path={p('prices')}>
        <EnumSelect label="Prices" value={value.prices ?? 'adjusted'} options={['adjusted', 'raw'] as const}
          names={{ adjusted: 'adjusted for splits and dividends', raw: 'raw, actions on their ex-dates' }} onChange={(v) => set('prices', v)} />
        <span className="muted">
          {value.prices === 'raw'
            ? 'Prices as stored; on each ex-date a split multiplies the position and its open orders, a dividend is credited (charged to a short).'
            : 'Bars back-adjusted for the stored splits and dividends (total return); nothing happens on an ex-date.'}
        </span>
      </Row>
      <Row label="Stop and target in one bar">
        <EnumSelect label="Intrabar rule" value={value.intrabar ?? 'pessimistic'} options={['pessimistic', 'optimistic', 'finerData'] as const}
          names={{ pessimistic: 'stop first (pessimistic)', optimistic: 'target first (optimistic)', finerData: 'look inside with finer bars' }}
          onChange={(v) => set('intrabar', v)} />
        <FieldErrors path={p('intrabar')} />
      </Row>
      <Row label="Open at the end">
        <label className="inline">
          <input type="checkbox" checked={value.closeAtEnd ?? false} onChange={(e) => set('closeAtEnd', e.target.checked ? true : undefined)} /> close positions still open at the last close (trades with exit reason “end”)
        </label>
      </Row>
      <Row label="Units">
        <EnumSelect label="Units" value={value.units ?? 'whole'} options={['whole', 'fractional'] as const} onChange={(v) => set('units', v)} />
        <label className="inline">
          <input type="checkbox" checked={value.allowShort ?? false} onChange={(e) => set('allowShort', e.target.checked)} /> allow shorting
        </label>
      </Row>
      <Row label="Benchmark">
        <AssetInput label="Benchmark symbol" value={value.benchmark} onChange={(v) => set('benchmark', v)} path={p('benchmark')} />
      </Row>
    </div>
  );
}
