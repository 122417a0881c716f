import { ACTION_TYPES, type Action, type Amount } from '../../schema/index.ts';
import { isRecord } from '../doc/draft.ts';
import { childPath, type Path } from '../doc/path.ts';
import { ACTION_NAMES, AMOUNT_NAMES, AMOUNT_UNITS, convertAction, type ActionType } from './actions.ts';
import { AssetInput } from './AssetInput.tsx';
import { useBuilder } from './BuilderContext.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberLikeInput } from './NumberLikeInput.tsx';
import { EntryEditor, ExitsEditor } from './OrderEditor.tsx';
import { RebalanceEditor } from './RebalanceEditor.tsx';
import { withKey } from './set.ts';

export interface ActionEditorProps {
  label: string;
  value: Action;
  onChange: (value: Action) => void;
  path: Path;
}

export function ActionEditor({ label, value, onChange, path }: ActionEditorProps) {
  const { universe } = useBuilder();
  const type = isRecord(value) && (ACTION_TYPES as readonly string[]).includes(value.type as string) ? (value.type as ActionType) : undefined;
  return (
    <div className="action" role="group" aria-label={label}>
      <div className="row">
        <EnumSelect label={`${label} type`} value={type} options={ACTION_TYPES} names={ACTION_NAMES}
          onChange={(t) => onChange(convertAction(value, t, universe))} />
        {(value.type === 'buy' || value.type === 'sell' || value.type === 'setWeight') && (
          <AssetInput label={`${label} asset`} value={value.asset} onChange={(asset) => onChange(withKey(value, 'asset', asset))} path={childPath(path, 'asset')} />
        )}
        {(value.type === 'buy' || value.type === 'sell') && (
          <AmountFields label={label} amount={value.amount} onChange={(amount) => onChange({ ...value, amount })} path={childPath(path, 'amount')} />
        )}
        {value.type === 'setWeight' && (
          <NumberLikeInput label={`${label} weight`} value={value.weight} onChange={(weight) => onChange({ ...value, weight: weight ?? 0 })} path={childPath(path, 'weight')} />
        )}
        {value.type === 'alert' && (
          <input type="text" className="wide" aria-label={`${label} message`} value={value.message} onChange={(e) => onChange({ ...value, message: e.target.value })} />
        )}
      </div>
      {(value.type === 'buy' || value.type === 'sell') && (
        <EntryEditor label={label} value={value.entry} path={childPath(path, 'entry')}
          onChange={(entry) => onChange(withKey(value, 'entry', entry))} />
      )}
      {(value.type === 'buy' || value.type === 'sell' || value.type === 'setWeight') && (
        <ExitsEditor label={label} value={value.exits} path={childPath(path, 'exits')}
          onChange={(exits) => onChange(withKey(value, 'exits', exits))} />
      )}
      {value.type === 'rebalance' && <RebalanceEditor label={label} value={value} onChange={onChange} path={path} />}
      {type === undefined && <p className="muted">Unrecognized action; edit it in the JSON editor.</p>}
      <FieldErrors path={path} />
    </div>
  );
}

function AmountFields({ label, amount, onChange, path }: { label: string; amount: Amount; onChange: (a: Amount) => void; path: Path }) {
  const unit = isRecord(amount) ? amount.unit : undefined;
  return (
    <>
      <EnumSelect label={`${label} amount unit`} value={unit} options={AMOUNT_UNITS} names={AMOUNT_NAMES}
        onChange={(u) => onChange(u === 'all' ? { unit: u } : { unit: u, value: 'value' in amount ? amount.value : 100 })} />
      {'value' in amount && (
        <NumberLikeInput label={`${label} amount`} value={amount.value} onChange={(v) => onChange({ ...amount, value: v ?? 0 })} path={childPath(path, 'value')} />
      )}
      <FieldErrors path={path} />
    </>
  );
}
