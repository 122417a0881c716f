import type { Parameter, ParameterConstraint, SettingsInput, Strategy } from '../../schema/index.ts';
import { ConstraintsEditor } from '../builder/ConstraintsEditor.tsx';
import { ParametersTable } from '../builder/ParametersTable.tsx';
import { StrategyList } from '../builder/StrategyList.tsx';
import type { Draft } from '../doc/draft.ts';

export interface BuilderProps {
  doc: Draft;
  onChange: (doc: Draft, tag: string) => void;
}

/** The visual builder: every edit produces a new document; `tag` lets quick typing in one place undo as one step. */
export function Builder({ doc, onChange }: BuilderProps) {
  const strategies = Array.isArray(doc.strategies) ? (doc.strategies as Strategy[]) : [];
  const params = (doc.parameters ?? {}) as Record<string, Parameter>;
  const constraints = Array.isArray(doc.parameterConstraints) ? (doc.parameterConstraints as ParameterConstraint[]) : [];
  const setConstraints = (c: ParameterConstraint[]) => {
    const { parameterConstraints: _drop, ...rest } = doc;
    onChange(c.length ? { ...rest, parameterConstraints: c } : rest, 'parameterConstraints');
  };
  return (
    <div className="builder">
      <h3>Strategies</h3>
      <StrategyList value={strategies} onChange={(s) => onChange({ ...doc, strategies: s }, 'strategies')} path={['strategies']} />
      <h3>Parameters</h3>
      <ParametersTable value={params} onChange={(p) => onChange({ ...doc, parameters: p }, 'parameters')} path={['parameters']} />
      <h3>Parameter constraints</h3>
      <ConstraintsEditor value={constraints} names={Object.keys(params)} onChange={setConstraints} path={['parameterConstraints']} />
    </div>
  );
}

export function settingsOf(doc: Draft): SettingsInput {
  return (typeof doc.settings === 'object' && doc.settings !== null ? doc.settings : { universe: [] }) as SettingsInput;
}
