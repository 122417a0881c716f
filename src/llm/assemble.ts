import { CURRENT_VERSION, type Action, type Condition, type StrategyDocument, type StrategyDocumentInput } from '../schema/index.ts';
import type { Outline } from './schemas/derive.ts';

/**
 * Puts a document together from an outline and one condition (undefined: fires on every bar) and one action
 * per strategy. In edit mode, settings the outline leaves out keep their current value.
 */
export function assemble(
  outline: Outline, conditions: readonly (Condition | undefined)[], actions: readonly Action[], base?: StrategyDocumentInput,
): StrategyDocumentInput {
  return {
    ...(base?.$schema !== undefined ? { $schema: base.$schema } : {}),
    version: CURRENT_VERSION,
    name: outline.name,
    ...(outline.description ? { description: outline.description } : base?.description ? { description: base.description } : {}),
    settings: { ...base?.settings, ...outline.settings },
    parameters: Object.fromEntries(outline.parameters.map((p) => [p.name, p.parameter])),
    ...(outline.parameterConstraints?.length ? { parameterConstraints: outline.parameterConstraints } : {}),
    strategies: outline.strategies.map((s, i) => {
      const condition = conditions[i];
      return { id: s.id, name: s.name, ...(condition !== undefined ? { condition } : {}), action: actions[i]! };
    }),
  };
}

/**
 * The answers a perfect model would give for `doc` (outline, one condition and one action per strategy):
 * the inverse of `assemble`, used to prove that the adapted schemas can say everything a document can.
 */
export function answersFor(doc: StrategyDocumentInput | StrategyDocument): { outline: Outline; conditions: (Condition | undefined)[]; actions: Action[] } {
  const outline: Outline = {
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    settings: doc.settings as Outline['settings'],
    parameters: Object.entries(doc.parameters ?? {}).map(([name, parameter]) => ({ name, parameter })),
    ...(doc.parameterConstraints ? { parameterConstraints: doc.parameterConstraints } : {}),
    strategies: doc.strategies.map((s) => ({
      id: s.id, name: s.name, then: JSON.stringify(s.action), ...(s.condition !== undefined ? { when: JSON.stringify(s.condition) } : {}),
    })),
    unsupported: [],
  };
  return { outline, conditions: doc.strategies.map((s) => s.condition as Condition | undefined), actions: doc.strategies.map((s) => s.action as Action) };
}
