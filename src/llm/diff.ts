import { parseDocument, type StrategyDocument, type StrategyDocumentInput } from '../schema/index.ts';
import { actionText, conditionText } from './explain.ts';

/** A proposal against the current document, as the builder shows it: settings, parameters and rules in words. */
export interface DocumentDiff {
  /** False when the current document does not validate (every part of the proposal then counts as new). */
  baseValid: boolean;
  name?: { before: string; after: string };
  settings: { field: string; before: string; after: string }[];
  parameters: { name: string; change: 'added' | 'removed' | 'changed'; before?: string; after?: string }[];
  rules: { id: string; name: string; change: 'added' | 'removed' | 'changed' | 'same'; before?: RuleWords; after?: RuleWords }[];
}

export interface RuleWords {
  name: string;
  when: string;
  then: string;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function words(doc: StrategyDocument): Map<string, RuleWords> {
  const first = doc.settings.universe[0]!;
  return new Map(doc.strategies.map((s) => [s.id, { name: s.name, when: s.condition ? conditionText(s.condition) : 'every bar', then: actionText(s.action, first) }]));
}

export function diffDocuments(current: StrategyDocumentInput | null, proposed: StrategyDocument): DocumentDiff {
  const parsed = current ? parseDocument(current) : null;
  const base = parsed?.ok ? parsed.doc : null;
  const out: DocumentDiff = { baseValid: base !== null, settings: [], parameters: [], rules: [] };
  if (base && base.name !== proposed.name) out.name = { before: base.name, after: proposed.name };
  const keys = new Set([...Object.keys(base?.settings ?? {}), ...Object.keys(proposed.settings)]);
  for (const k of keys) {
    const b = (base?.settings as Record<string, unknown> | undefined)?.[k];
    const a = (proposed.settings as Record<string, unknown>)[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out.settings.push({ field: k, before: show(b), after: show(a) });
  }
  const bp = base?.parameters ?? {};
  for (const name of new Set([...Object.keys(bp), ...Object.keys(proposed.parameters)])) {
    const b = bp[name];
    const a = proposed.parameters[name];
    if (!a) out.parameters.push({ name, change: 'removed', before: show(b) });
    else if (!b) out.parameters.push({ name, change: 'added', after: show(a) });
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.parameters.push({ name, change: 'changed', before: show(b), after: show(a) });
  }
  const before = base ? words(base) : new Map<string, RuleWords>();
  const after = words(proposed);
  for (const [id, a] of after) {
    const b = before.get(id);
    const change = !b ? 'added' : b.name === a.name && b.when === a.when && b.then === a.then ? 'same' : 'changed';
    out.rules.push({ id, name: a.name, change, ...(b ? { before: b } : {}), after: a });
  }
  for (const [id, b] of before) if (!after.has(id)) out.rules.push({ id, name: b.name, change: 'removed', before: b });
  return out;
}
