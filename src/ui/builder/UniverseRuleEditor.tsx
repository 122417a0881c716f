import type { UniverseRule, Weighting } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { BuilderContext, useBuilder } from './BuilderContext.ts';
import { ConditionEditor } from './ConditionEditor.tsx';
import { defaultCompare } from './conditions.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { ExprEditor } from './ExprEditor.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberLikeInput } from './NumberLikeInput.tsx';
import { withKey } from './set.ts';
import { SymbolListInput } from './SymbolListInput.tsx';
import { WindowInput } from './WindowInput.tsx';

export interface UniverseRuleEditorProps {
  label: string;
  value: UniverseRule;
  onChange: (value: UniverseRule) => void;
  path: Path;
}

const WEIGHTINGS = ['equal', 'proportional', 'inverseVolatility'] as const;
const WEIGHTING_NAMES = { equal: 'equal', proportional: 'proportional to', inverseVolatility: 'inverse volatility' } as const;

function defaultWeighting(kind: Weighting['kind']): Weighting {
  if (kind === 'proportional') return { kind, by: { kind: 'price', asset: '$asset', field: 'close' } };
  if (kind === 'inverseVolatility') return { kind, window: { bars: 20 } };
  return { kind };
}

/** candidates → filter → sort → limit → weighting; "$asset" inside stands for each candidate. */
export function UniverseRuleEditor({ label, value, onChange, path }: UniverseRuleEditorProps) {
  const outer = useBuilder();
  const set = (key: keyof UniverseRule, v: unknown) => onChange(withKey(value, key, v));
  return (
    <BuilderContext.Provider value={{ ...outer, inRule: true }}>
      <div className="rule" role="group" aria-label={label}>
        <div className="rule-step">
          <span className="step-name">Candidates</span>
          <SymbolListInput label={`${label} candidates`} value={value.candidates} onChange={(c) => set('candidates', c)} path={childPath(path, 'candidates')} />
        </div>
        <div className="rule-step">
          <label className="step-name inline">
            <input type="checkbox" checked={value.filter !== undefined} onChange={(e) => set('filter', e.target.checked ? { all: [defaultCompare()] } : undefined)} />
            Filter
          </label>
          {value.filter && (
            <ConditionEditor label={`${label} filter`} value={value.filter} onChange={(f) => set('filter', f)} path={childPath(path, 'filter')} />
          )}
        </div>
        <div className="rule-step">
          <label className="step-name inline">
            <input type="checkbox" checked={value.sort !== undefined}
              onChange={(e) => set('sort', e.target.checked ? { by: { kind: 'roc', asset: '$asset', window: { bars: 20 } }, order: 'desc' } : undefined)} />
            Sort by
          </label>
          {value.sort && (
            <>
              <ExprEditor label={`${label} sort key`} value={value.sort.by} onChange={(by) => set('sort', { ...value.sort, by })} path={childPath(path, 'sort', 'by')} />
              <EnumSelect label={`${label} sort order`} value={value.sort.order} options={['desc', 'asc'] as const} names={{ desc: 'descending', asc: 'ascending' }}
                onChange={(order) => set('sort', { ...value.sort, order })} />
            </>
          )}
        </div>
        <div className="rule-step">
          <span className="step-name">Limit</span>
          <NumberLikeInput label={`${label} limit`} optional placeholder="all" value={value.limit} onChange={(n) => set('limit', n)} path={childPath(path, 'limit')} />
          <span className="step-name">Total weight</span>
          <NumberLikeInput label={`${label} total weight`} optional placeholder="1" value={value.totalWeight} onChange={(n) => set('totalWeight', n)} path={childPath(path, 'totalWeight')} />
        </div>
        <div className="rule-step">
          <span className="step-name">Weighting</span>
          <EnumSelect label={`${label} weighting`} value={value.weighting.kind} options={WEIGHTINGS} names={WEIGHTING_NAMES}
            onChange={(k) => set('weighting', defaultWeighting(k))} />
          {value.weighting.kind === 'proportional' && (
            <ExprEditor label={`${label} weight by`} value={value.weighting.by} onChange={(by) => set('weighting', { kind: 'proportional', by })} path={childPath(path, 'weighting', 'by')} />
          )}
          {value.weighting.kind === 'inverseVolatility' && (
            <WindowInput label={`${label} volatility window`} value={value.weighting.window} onChange={(w) => set('weighting', { kind: 'inverseVolatility', window: w })} path={childPath(path, 'weighting', 'window')} />
          )}
          <FieldErrors path={childPath(path, 'weighting')} />
        </div>
        <FieldErrors path={path} />
      </div>
    </BuilderContext.Provider>
  );
}
