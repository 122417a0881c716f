import type { Parameter, ParameterConstraint } from '../../schema/index.ts';
import { isRecord, type Draft } from '../doc/draft.ts';

type Params = Record<string, Parameter>;

/**
 * Rewrites every `{"$param": from}` under `x` to `to`. Objects and arrays that hold no such reference are
 * returned as they are, so an unchanged branch keeps its identity (React skips re-rendering it).
 */
function renameRefs(x: unknown, from: string, to: string): unknown {
  if (Array.isArray(x)) {
    let changed = false;
    const out = x.map((v) => {
      const w = renameRefs(v, from, to);
      changed ||= w !== v;
      return w;
    });
    return changed ? out : x;
  }
  if (!isRecord(x)) return x;
  if (x.$param === from && Object.keys(x).length === 1) return { $param: to };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    const w = renameRefs(v, from, to);
    changed ||= w !== v;
    out[k] = w;
  }
  return changed ? out : x;
}

function constraintsOf(doc: Draft): ParameterConstraint[] | undefined {
  return Array.isArray(doc.parameterConstraints) ? (doc.parameterConstraints as ParameterConstraint[]) : undefined;
}

/**
 * Renames parameter `from` to `to` everywhere the document names it: its entry (kept in its place in the
 * table), the `$param` references in rules, sizes and settings, and both sides of every parameter constraint.
 * Refused (the document returned unchanged) when `to` is already declared: two parameters cannot merge.
 */
export function renameParameter(doc: Draft, from: string, to: string): Draft {
  const params = (doc.parameters ?? {}) as Params;
  if (from === to || !Object.hasOwn(params, from) || Object.hasOwn(params, to)) return doc;
  const { parameters: _p, parameterConstraints: _c, ...rest } = doc;
  const renamed = renameRefs(rest, from, to) as Draft;
  const out: Draft = { ...renamed, parameters: Object.fromEntries(Object.entries(params).map(([k, v]) => [k === from ? to : k, v])) };
  const cs = constraintsOf(doc);
  if (cs) {
    out.parameterConstraints = cs.map((c) => ({
      ...c,
      left: c.left === from ? to : c.left,
      right: c.right === from ? to : c.right,
    }));
  } else if (doc.parameterConstraints !== undefined) {
    out.parameterConstraints = doc.parameterConstraints;
  }
  // Keep the document's key order (parameters and constraints where they were).
  return Object.fromEntries(Object.keys(doc).map((k) => [k, out[k as keyof Draft]])) as Draft;
}

export interface Removal {
  doc: Draft;
  /** The constraints that named the removed parameter, removed with it (the builder says so; Undo restores them). */
  removedConstraints: ParameterConstraint[];
}

/**
 * Removes parameter `name` and every constraint that names it: a constraint relates two parameters, so without
 * one of them it means nothing (the field goes when no constraint is left). `$param` references in rules are
 * left as they are and validation places each one ("unknown parameter"): only the user can say what should
 * replace them.
 */
export function removeParameter(doc: Draft, name: string): Removal {
  const params = (doc.parameters ?? {}) as Params;
  const out: Draft = { ...doc, parameters: Object.fromEntries(Object.entries(params).filter(([k]) => k !== name)) };
  const cs = constraintsOf(doc);
  if (!cs) return { doc: out, removedConstraints: [] };
  const removedConstraints = cs.filter((c) => c.left === name || c.right === name);
  if (removedConstraints.length === 0) return { doc: out, removedConstraints };
  const kept = cs.filter((c) => !removedConstraints.includes(c));
  if (kept.length) out.parameterConstraints = kept;
  else delete out.parameterConstraints;
  return { doc: out, removedConstraints };
}
