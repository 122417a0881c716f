import { TIME_IN_FORCE, type Entry, type Exits, type Level, type TrailingStop, type Window } from '../../schema/index.ts';
import { childPath, type Path } from '../doc/path.ts';
import { EnumSelect } from './EnumSelect.tsx';
import { ExprEditor } from './ExprEditor.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberLikeInput } from './NumberLikeInput.tsx';
import { WindowInput } from './WindowInput.tsx';
import { ENTRY_NAMES, ENTRY_TYPES, LEVEL_KINDS, LEVEL_NAMES, TIF_NAMES, convertEntry, convertLevel, levelKind, withExit, type ExitKey } from './orders.ts';

/** How a buy or sell is placed: market, limit, stop or stop-limit, with its time in force. */
export function EntryEditor({ label, value, onChange, path }: { label: string; value: Entry | undefined; onChange: (e: Entry | undefined) => void; path: Path }) {
  const type = value?.type ?? 'market';
  return (
    <div className="row" role="group" aria-label={`${label} entry`}>
      <EnumSelect label={`${label} entry type`} value={type} options={ENTRY_TYPES} names={ENTRY_NAMES}
        onChange={(t) => onChange(convertEntry(value, t))} />
      {value && value.type !== 'market' && (
        <>
          {value.type === 'stopLimit' ? (
            <>
              <LevelEditor label={`${label} entry stop`} value={value.stop} onChange={(stop) => onChange({ ...value, stop })} path={childPath(path, 'stop')} />
              <LevelEditor label={`${label} entry limit`} value={value.limit} onChange={(limit) => onChange({ ...value, limit })} path={childPath(path, 'limit')} />
            </>
          ) : (
            <LevelEditor label={`${label} entry price`} value={value.price} onChange={(price) => onChange({ ...value, price })} path={childPath(path, 'price')} />
          )}
          <EnumSelect label={`${label} time in force`} value={value.timeInForce ?? 'day'} options={TIME_IN_FORCE} names={TIF_NAMES}
            onChange={(timeInForce) => {
              const { expireAfterBars: _drop, ...rest } = value;
              onChange(timeInForce === 'gtc' ? { ...value, timeInForce } : { ...rest, timeInForce });
            }} />
          {value.timeInForce === 'gtc' && (
            <NumberLikeInput label={`${label} expire after bars`} value={value.expireAfterBars} optional placeholder="never"
              onChange={(n) => {
                const { expireAfterBars: _drop, ...rest } = value;
                onChange(n === undefined ? rest : { ...value, expireAfterBars: n });
              }} path={childPath(path, 'expireAfterBars')} />
          )}
        </>
      )}
      <FieldErrors path={path} />
    </div>
  );
}

const EXIT_LABELS: Record<ExitKey, string> = { stopLoss: 'stop-loss', takeProfit: 'take-profit', trailingStop: 'trailing stop', timeExit: 'time exit' };

/** Exits attached to the position: each one on or off, with its level. */
export function ExitsEditor({ label, value, onChange, path }: { label: string; value: Exits | undefined; onChange: (x: Exits | undefined) => void; path: Path }) {
  const x = value ?? {};
  const toggle = (key: ExitKey, on: boolean) => onChange(withExit(x, key, on));
  return (
    <fieldset className="exits" aria-label={`${label} exits`}>
      <legend>Exits</legend>
      {(Object.keys(EXIT_LABELS) as ExitKey[]).map((key) => (
        <div className="row" key={key}>
          <label>
            <input type="checkbox" checked={x[key] !== undefined} onChange={(e) => toggle(key, e.target.checked)} />
            {' '}{EXIT_LABELS[key]}
          </label>
          {key === 'timeExit' && x.timeExit && (
            <>
              <EnumSelect label={`${label} time exit when`} value={'sessionClose' in x.timeExit ? 'sessionClose' : 'after'} options={['after', 'sessionClose'] as const}
                names={{ after: 'after', sessionClose: 'at the session close' }}
                onChange={(when) => onChange({ ...x, timeExit: when === 'sessionClose' ? { sessionClose: true } : { bars: 10 } })} />
              {!('sessionClose' in x.timeExit) && (
                <WindowInput label={`${label} time exit after`} value={x.timeExit} onChange={(w: Window) => onChange({ ...x, timeExit: w })} path={childPath(path, 'timeExit')} />
              )}
            </>
          )}
          {key === 'trailingStop' && x.trailingStop && (
            <>
              <LevelEditor label={`${label} trailing stop`} value={x.trailingStop} trailing
                onChange={(l) => onChange({ ...x, trailingStop: { ...(l as TrailingStop), ...(x.trailingStop?.by ? { by: x.trailingStop.by } : {}) } })} path={childPath(path, 'trailingStop')} />
              <EnumSelect label={`${label} trailing stop follows`} value={x.trailingStop.by ?? 'highLow'} options={['highLow', 'close'] as const}
                names={{ highLow: 'high / low', close: 'close' }} onChange={(by) => onChange({ ...x, trailingStop: { ...x.trailingStop!, by } })} />
            </>
          )}
          {(key === 'stopLoss' || key === 'takeProfit') && x[key] && (
            <LevelEditor label={`${label} ${EXIT_LABELS[key]}`} value={x[key]} onChange={(l) => onChange({ ...x, [key]: l })} path={childPath(path, key)} />
          )}
        </div>
      ))}
      <FieldErrors path={path} />
    </fieldset>
  );
}

/** A level: percent, distance, ATR multiple, or (not for trails) an absolute price expression. */
function LevelEditor({ label, value, onChange, path, trailing }: { label: string; value: Level | TrailingStop; onChange: (l: Level) => void; path: Path; trailing?: boolean }) {
  const kind = levelKind(value);
  const kinds = trailing ? LEVEL_KINDS.filter((k) => k !== 'price') : LEVEL_KINDS;
  return (
    <span className="level">
      <EnumSelect label={`${label} as`} value={kind} options={kinds} names={LEVEL_NAMES} onChange={(k) => onChange(convertLevel(value, k))} />
      {'percent' in value && <NumberLikeInput label={`${label} percent`} value={value.percent} onChange={(v) => onChange({ percent: v ?? 1 })} path={childPath(path, 'percent')} />}
      {'distance' in value && <NumberLikeInput label={`${label} distance`} value={value.distance} onChange={(v) => onChange({ distance: v ?? 1 })} path={childPath(path, 'distance')} />}
      {'atr' in value && (
        <>
          <NumberLikeInput label={`${label} ATR multiple`} value={value.atr} onChange={(v) => onChange({ ...value, atr: v ?? 1 })} path={childPath(path, 'atr')} />
          <WindowInput label={`${label} ATR window`} value={value.window ?? { bars: 14 }} onChange={(window) => onChange({ atr: value.atr, window })} path={childPath(path, 'window')} />
        </>
      )}
      {'price' in value && <ExprEditor label={`${label} price`} value={value.price} onChange={(price) => onChange({ price })} path={childPath(path, 'price')} />}
      <FieldErrors path={path} />
    </span>
  );
}
