import type { Outline } from './schemas/derive.ts';
import type { KnownData } from './checks.ts';
import type { StrategyDocumentInput } from '../schema/index.ts';

/**
 * The prompts. The schema carries the structure; these carry the meaning a schema cannot: units, the
 * semantics of a few operators, and the data this device has.
 */
const GRAMMAR = `You turn trading ideas into a strict JSON strategy grammar for a backtester.
Facts about the grammar:
- Percent amounts are 0–100. Windows are {"bars": N} or {"duration": "30d"}. A bare number or {"$param": name} is a constant.
- crossesAbove/crossesBelow are true only on the bar where the left side moves from ≤ to > the right side (or the mirror).
- A buy rule that should not buy again while holding needs "position quantity = 0" in its condition; a sell rule "position quantity > 0".
- "asset" omitted means the first universe symbol. "$asset" means the candidate being evaluated, only inside a rebalance universe rule.
- Calendar fields: dayOfWeek (0 = Sunday … 6 = Saturday), dayOfMonth, month (1–12), minuteOfDay, firstBarOfWeek and firstBarOfMonth (1 on that bar, else 0).
- Never invent data: only use the symbols listed as available.`;

function symbolsLine(known: KnownData): string {
  if (known.symbols.length === 0) return 'Available symbols: not known on this device; use the symbols the user names.';
  const list = known.symbols.slice(0, 200).join(', ');
  return `Available symbols (stored or embedded data): ${list}${known.symbols.length > 200 ? ', …' : ''}.`;
}

export function outlineSystem(known: KnownData, editing: boolean): string {
  return `${GRAMMAR}
${symbolsLine(known)}
Task: write the outline of a strategy document: its name, settings, parameters, and for each rule its id, its name, and in plain English exactly when it fires ("when") and what it does ("then"). The conditions and actions themselves are written later from your "when" and "then", so make them precise (indicator, window, threshold, asset, amount).
Use parameters for the numbers a user would tune, and refer to them by name in "when"/"then".
List in "unsupported" every part of the request this grammar cannot express; never pretend.${editing ? `
Edit mode: you are given the current document and a change request. Keep everything the request does not touch exactly as it is (ids, names, settings, parameters). For each rule say in "edit" which parts change: keep, condition, action or both.` : ''}`;
}

export function outlineUser(text: string, base?: StrategyDocumentInput): string {
  return base ? `Current document:\n${JSON.stringify(base)}\n\nChange request: ${text}` : `Request: ${text}`;
}

export function treeSystem(kind: 'condition' | 'action', known: KnownData): string {
  const what = kind === 'condition' ? 'the condition (when the rule fires)' : 'the action (what the rule does when it fires)';
  return `${GRAMMAR}
${symbolsLine(known)}
Task: write only ${what} of one rule of a strategy document, exactly as described.`;
}

export function treeUser(kind: 'condition' | 'action', text: string, outline: Outline, index: number, current?: unknown): string {
  const s = outline.strategies[index]!;
  const params = outline.parameters.length ? outline.parameters.map((p) => `${p.name} (default ${p.parameter.default})`).join(', ') : 'none';
  return [
    `The user asked: ${text}`,
    `Universe: ${outline.settings.universe.join(', ')}; timeframe ${outline.settings.timeframe ?? '1d'}; shorting ${outline.settings.allowShort ? 'allowed' : 'not allowed'}.`,
    `Parameters: ${params}.`,
    `Rule "${s.name}" (id ${s.id}): when ${s.when ?? 'every bar'}; then ${s.then}.`,
    current !== undefined ? `Its current ${kind}: ${JSON.stringify(current)}` : '',
    `Write its ${kind}.`,
  ].filter(Boolean).join('\n');
}

export function fixUser(errors: string): string {
  return `That answer has these problems:\n${errors}\nAnswer again with every problem fixed.`;
}
