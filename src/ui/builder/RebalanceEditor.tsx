import type { Action } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { AssetInput } from './AssetInput.tsx';
import { useBuilder } from './BuilderContext.ts';
import { NumberLikeInput } from './NumberLikeInput.tsx';
import { removeAt, replaceAt } from './set.ts';
import { UniverseRuleEditor } from './UniverseRuleEditor.tsx';

type Rebalance = Extract<Action, { type: 'rebalance' }>;

export interface RebalanceEditorProps {
  label: string;
  value: Rebalance;
  onChange: (value: Action) => void;
  path: Path;
}

/** Fixed target weights, or weights a universe rule computes on every rebalance. */
export function RebalanceEditor({ label, value, onChange, path }: RebalanceEditorProps) {
  const { universe } = useBuilder();
  const ruleMode = 'universe' in value;
  return (
    <div className="rebalance">
      <fieldset className="seg">
        <legend className="sr-only">{label} weights from</legend>
        <label>
          <input type="radio" checked={!ruleMode} onChange={() => onChange({ type: 'rebalance', weights: universe.map((s) => ({ asset: s, weight: 1 / universe.length })) })} />
          fixed weights
        </label>
        <label>
          <input type="radio" checked={ruleMode} onChange={() => onChange({ type: 'rebalance', universe: { candidates: [...universe], weighting: { kind: 'equal' } } })} />
          universe rule
        </label>
      </fieldset>
      {'weights' in value && (
        <table className="mini">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Weight</th>
              <th scope="col"><span className="sr-only">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            {value.weights.map((w, i) => (
              <tr key={i}>
                <td>
                  <AssetInput required label={`${label} weight ${i + 1} asset`} value={w.asset}
                    onChange={(asset) => onChange({ ...value, weights: replaceAt(value.weights, i, { ...w, asset: asset ?? '' }) })}
                    path={childPath(path, 'weights', i, 'asset')} />
                </td>
                <td>
                  <NumberLikeInput label={`${label} weight ${i + 1}`} value={w.weight}
                    onChange={(weight) => onChange({ ...value, weights: replaceAt(value.weights, i, { ...w, weight: weight ?? 0 }) })}
                    path={childPath(path, 'weights', i, 'weight')} />
                </td>
                <td>
                  <button type="button" className="icon" aria-label={`Remove ${label} weight ${i + 1}`} onClick={() => onChange({ ...value, weights: removeAt(value.weights, i) })}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={3}>
                <button type="button" className="small" onClick={() => onChange({ ...value, weights: [...value.weights, { asset: universe[0] ?? '', weight: 0 }] })}>
                  + weight
                </button>
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {'universe' in value && (
        <UniverseRuleEditor label={`${label} rule`} value={value.universe} onChange={(u) => onChange({ ...value, universe: u })} path={childPath(path, 'universe')} />
      )}
    </div>
  );
}
