import { isParamRef, type Expr } from '../../schema/index.ts';
import { isRecord } from '../doc/draft.ts';
import { childPath, type Path } from '../doc/path.ts';
import { useBuilder } from './BuilderContext.ts';
import { FieldErrors } from './FieldErrors.tsx';
import { IndicatorFields } from './IndicatorFields.tsx';
import { IndicatorPicker } from './IndicatorPicker.tsx';
import { defaultIndicator, EXPR_CHOICES, type ExprChoice, type IndicatorKind } from './indicators.ts';
import { NumberInput } from './NumberInput.tsx';
import { seriesOperand } from './stored-series.ts';

export interface ExprEditorProps {
  label: string;
  value: Expr | undefined;
  onChange: (value: Expr) => void;
  path: Path;
}

function choiceOf(value: unknown): ExprChoice | null {
  if (typeof value === 'number') return 'constant';
  if (isParamRef(value)) return 'parameter';
  if (isRecord(value) && typeof value.kind === 'string' && (EXPR_CHOICES as readonly string[]).includes(value.kind)) {
    return value.kind as IndicatorKind;
  }
  return null;
}

/** One operand: a number, a parameter, or an indicator with its parameters (recursively for arithmetic). */
export function ExprEditor({ label, value, onChange, path }: ExprEditorProps) {
  const { params, series } = useBuilder();
  const choice = choiceOf(value);
  const firstParam = Object.keys(params)[0] ?? 'p';
  const pick = (c: ExprChoice) => {
    if (c === choice) return;
    if (c === 'constant') onChange(isParamRef(value) ? (params[value.$param]?.default ?? 0) : 0);
    else if (c === 'parameter') onChange({ $param: firstParam });
    else onChange(defaultIndicator(c));
  };
  return (
    <span className="expr">
      <IndicatorPicker label={label} value={choice} onPick={pick} series={series} onPickSeries={(s) => onChange(seriesOperand(s))}
        seriesName={choice === 'series' && isRecord(value) && 'name' in value && typeof value.name === 'string' ? value.name : undefined} />
      {choice === 'constant' && (
        <NumberInput label={`${label} value`} value={value as number} onChange={(v) => onChange(v ?? 0)} />
      )}
      {choice === 'parameter' && isParamRef(value) && (
        <select aria-label={`${label} parameter`} value={value.$param} onChange={(e) => onChange({ $param: e.target.value })}>
          {[...new Set([...Object.keys(params), value.$param])].map((n) => (
            <option key={n} value={n}>
              ${n}
            </option>
          ))}
        </select>
      )}
      {choice !== null && choice !== 'constant' && choice !== 'parameter' && isRecord(value) && (
        <IndicatorFields label={label} node={value as Parameters<typeof IndicatorFields>[0]['node']} onChange={onChange} path={path} />
      )}
      {choice === null && <span className="muted">unrecognized expression; edit it in the JSON editor</span>}
      <FieldErrors path={path} />
      {isRecord(value) && <FieldErrors path={childPath(path, 'kind')} />}
    </span>
  );
}
