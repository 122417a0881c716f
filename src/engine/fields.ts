import { BAR_FIELDS, type BarField } from '../schema/bars.ts';
import { usesOrderTypes, type StrategyDocument } from '../schema/index.ts';
import type { Plan } from '../strategy/plan.ts';

/**
 * The price fields a run of `plan` reads, so a load can skip the rest (the store's `fields`): open (fills at
 * the next open, marks before fills) and close (marks, equity) always; a field an operand or an indicator's
 * source names; high and low for ATR, and for anything that rests on a bar's range (entries other than market,
 * attached exits, close at end, an intrabar rule). Fields left out are NaN in the loaded columns, so a reader
 * this list missed shows up as NaN in results, never as a plausible number; the differential test
 * (test/property/bar-fields.test.ts) runs random documents on pruned and full bars and compares bit for bit.
 */
export function barFields(plan: Plan, doc: StrategyDocument): BarField[] {
  const used = new Set<BarField>(['open', 'close']);
  const range = () => { used.add('high'); used.add('low'); };
  for (const input of plan.inputs) if (input.kind === 'price') used.add(input.field);
  for (const ind of plan.indicators) {
    if (ind.source !== 'return') used.add(ind.source);
    if (ind.spec.kind === 'atr') range();
  }
  // Entries and exits may also sit inside nested actions (rebalance rules): any mention counts.
  if (usesOrderTypes(doc) || doc.settings.intrabar !== undefined || /"(entry|exits)"\s*:/.test(JSON.stringify(doc.strategies))) range();
  return BAR_FIELDS.filter((f) => used.has(f));
}
