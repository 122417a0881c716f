import { useState } from 'react';
import { formatConstraint, type Parameter, type ParameterConstraint, type SettingsInput, type Strategy } from '../../schema/index.ts';
import { ConstraintsEditor } from '../builder/ConstraintsEditor.tsx';
import { ParametersTable } from '../builder/ParametersTable.tsx';
import { removeParameter, renameParameter } from '../builder/parameter-edits.ts';
import { StrategyList } from '../builder/StrategyList.tsx';
import type { Draft } from '../doc/draft.ts';

export interface BuilderProps {
  doc: Draft;
  onChange: (doc: Draft, tag: string) => void;
}

/** What the last edit did beyond what the user touched; shown while the document is the one that edit made. */
interface Notice {
  doc: Draft;
  text: string;
}

/** The visual builder: every edit produces a new document; `tag` lets quick typing in one place undo as one step. */
export function Builder({ doc, onChange }: BuilderProps) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const strategies = Array.isArray(doc.strategies) ? (doc.strategies as Strategy[]) : [];
  const params = (doc.parameters ?? {}) as Record<string, Parameter>;
  const constraints = Array.isArray(doc.parameterConstraints) ? (doc.parameterConstraints as ParameterConstraint[]) : [];
  const setConstraints = (c: ParameterConstraint[]) => {
    const { parameterConstraints: _drop, ...rest } = doc;
    onChange(c.length ? { ...rest, parameterConstraints: c } : rest, 'parameterConstraints');
  };
  const remove = (name: string) => {
    const { doc: next, removedConstraints } = removeParameter(doc, name);
    if (removedConstraints.length) {
      const list = removedConstraints.map((c) => formatConstraint({ ...c, left: `$${c.left}`, right: `$${c.right}` })).join(', ');
      const one = removedConstraints.length === 1;
      setNotice({ doc: next, text: `Removed ${one ? 'the constraint' : 'the constraints'} ${list} with $${name}: ${one ? 'it' : 'they'} named it. Undo brings ${one ? 'it' : 'them'} back.` });
    }
    onChange(next, 'parameters-remove');
  };
  return (
    <div className="builder">
      <h3>Strategies</h3>
      <StrategyList value={strategies} onChange={(s) => onChange({ ...doc, strategies: s }, 'strategies')} path={['strategies']} />
      <h3>Parameters</h3>
      <ParametersTable value={params} path={['parameters']}
        onChange={(p) => onChange({ ...doc, parameters: p }, 'parameters')}
        onRename={(from, to) => onChange(renameParameter(doc, from, to), 'parameters')}
        onRemove={remove} />
      <h3>Parameter constraints</h3>
      {notice && notice.doc === doc && <p role="status" className="muted">{notice.text}</p>}
      <ConstraintsEditor value={constraints} names={Object.keys(params)} onChange={setConstraints} path={['parameterConstraints']} />
    </div>
  );
}

export function settingsOf(doc: Draft): SettingsInput {
  return (typeof doc.settings === 'object' && doc.settings !== null ? doc.settings : { universe: [] }) as SettingsInput;
}
