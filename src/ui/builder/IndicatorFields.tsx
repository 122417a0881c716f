import { useId } from 'react';
import { BAR_FIELDS, CALENDAR_FIELDS, WINDOWED_KINDS, type Expr, type IndicatorNode, type NumberLike, type Window } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { AssetInput } from './AssetInput.tsx';
import { useBuilder } from './BuilderContext.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { MathArgs } from './MathArgs.tsx';
import { NumberLikeInput } from './NumberLikeInput.tsx';
import { removeAt, withKey } from './set.ts';
import { WindowInput } from './WindowInput.tsx';

export interface IndicatorFieldsProps {
  label: string;
  node: IndicatorNode;
  onChange: (node: IndicatorNode) => void;
  path: Path;
}

const HAS_ASSET = new Set(['price', ...WINDOWED_KINDS, 'atr', 'bollinger', 'macd', 'lastOrderPrice', 'position', 'series']);
const HAS_SOURCE = new Set<string>([...WINDOWED_KINDS, 'bollinger', 'macd']);

/** The parameters of one indicator kind; fields it does not have are simply not shown. */
export function IndicatorFields({ label, node, onChange, path }: IndicatorFieldsProps) {
  const { strategyIds, series } = useBuilder();
  const namesId = useId();
  const raw = node as unknown as Record<string, unknown>;
  const set = (key: string, value: unknown) => onChange(withKey(node, key, value));
  const win = (key: string, name: string) => (
    <WindowInput label={`${label} ${name}`} value={raw[key] as Window | undefined} onChange={(w) => set(key, w)} path={childPath(path, key)} />
  );
  return (
    <span className="ind-fields">
      {HAS_ASSET.has(node.kind) && (
        <AssetInput label={`${label} asset`} value={raw.asset as string | undefined} onChange={(v) => set('asset', v)} path={childPath(path, 'asset')} />
      )}
      {HAS_SOURCE.has(node.kind) && (
        <EnumSelect label={`${label} source`} value={raw.source as (typeof BAR_FIELDS)[number] | undefined} options={BAR_FIELDS}
          unsetName="close" onChange={(v) => set('source', v)} onUnset={() => set('source', undefined)} />
      )}
      {node.kind === 'price' && (
        <EnumSelect label={`${label} field`} value={node.field} options={BAR_FIELDS} onChange={(v) => set('field', v)} />
      )}
      {'window' in node && win('window', 'window')}
      {node.kind === 'bollinger' && (
        <>
          <NumberLikeInput label={`${label} k`} value={node.k} optional placeholder="2" onChange={(v: NumberLike | undefined) => set('k', v)} path={childPath(path, 'k')} />
          <EnumSelect label={`${label} band`} value={node.band} options={['upper', 'middle', 'lower'] as const} onChange={(v) => set('band', v)} />
        </>
      )}
      {node.kind === 'macd' && (
        <>
          {win('fast', 'fast')}
          {win('slow', 'slow')}
          {win('signal', 'signal')}
          <EnumSelect label={`${label} output`} value={node.output} options={['line', 'signal', 'histogram'] as const} onChange={(v) => set('output', v)} />
        </>
      )}
      {node.kind === 'sinceSignal' && (
        <>
          <EnumSelect label={`${label} strategy`} value={node.strategy} options={strategyIds} unsetName="this strategy"
            onChange={(v) => set('strategy', v)} onUnset={() => set('strategy', undefined)} />
          <EnumSelect label={`${label} unit`} value={node.unit} options={['bars', 'days'] as const} onChange={(v) => set('unit', v)} />
        </>
      )}
      {node.kind === 'position' && (
        <EnumSelect label={`${label} field`} value={node.field} options={['quantity', 'value', 'weight'] as const} onChange={(v) => set('field', v)} />
      )}
      {node.kind === 'series' && (
        <>
          <input type="text" className="sym" aria-label={`${label} series name`} value={node.name} onChange={(e) => set('name', e.target.value)}
            list={series.length > 0 ? namesId : undefined} />
          {series.length > 0 && (
            <datalist id={namesId}>
              {[...new Set(series.map((s) => s.name))].map((n) => <option key={n} value={n} />)}
            </datalist>
          )}
          <label className="inline">
            <input type="checkbox" checked={node.global ?? false} onChange={(e) => set('global', e.target.checked || undefined)} /> global
          </label>
          <FieldErrors path={childPath(path, 'name')} />
        </>
      )}
      {node.kind === 'calendar' && (
        <EnumSelect label={`${label} field`} value={node.field} options={CALENDAR_FIELDS} onChange={(v) => set('field', v)} />
      )}
      {node.kind === 'math' && (
        <MathArgs
          label={label}
          op={node.op}
          args={node.args}
          path={path}
          onOp={(op) => set('op', op)}
          onArgs={(args: Expr[]) => set('args', args)}
          onRemove={(i) => set('args', removeAt(node.args, i))}
        />
      )}
    </span>
  );
}
