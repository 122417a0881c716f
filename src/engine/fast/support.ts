import type { StrategyDocument } from '../../schema/index.ts';
import type { Plan } from '../../strategy/index.ts';

/**
 * What the fast path covers, as allow-lists of the document's shape: anything newer (order types, exits,
 * settings the fast walk does not know about) runs on the reference kernel, and the result says why.
 */
const ACTION_KEYS: Record<string, ReadonlySet<string>> = {
  // #12's orders: resting entries and attached exits act only at their asset's bars, which the walk visits
  // while the venue holds them (Venue.watches).
  buy: new Set(['type', 'asset', 'amount', 'entry', 'exits']),
  sell: new Set(['type', 'asset', 'amount', 'entry', 'exits']),
  setWeight: new Set(['type', 'asset', 'weight', 'exits']),
  rebalance: new Set(['type', 'weights', 'universe']),
  closeAll: new Set(['type']),
  alert: new Set(['type', 'message']),
};
const STRATEGY_KEYS = new Set(['id', 'name', 'condition', 'action']);
const SETTINGS_KEYS = new Set([
  'universe', 'timeframe', 'range', 'initialCash', 'fees', 'slippage', 'fillModel', 'units', 'allowShort', 'benchmark',
  'timezone', 'riskFreeRate', 'sampling', 'intrabar', 'closeAtEnd',
  // Adjusted prices are columns prepared before the walk (corporate.ts); raw prices with actions are sent to
  // the reference by runBacktest before this check.
  'prices',
]);
/** Costs are charged at fills only; a cost that accrues between fills (borrow, financing) would change cash between events. */
const FEE_KEYS = new Set(['fraction', 'perShare', 'perOrder', 'minimum']);
const SLIPPAGE_KEYS = new Set(['bps', 'fixed']);
const FILL_MODELS = new Set(['nextOpen', 'close']);
const INPUT_KINDS = new Set(['price', 'cash', 'equity', 'drawdown', 'position', 'lastOrderPrice', 'sinceSignal', 'series', 'calendar']);

/** Null when the fast path can run the document, else why not (a sentence for the result). */
export function fastUnsupported(doc: StrategyDocument, plan: Plan): string | null {
  for (const key of Object.keys(doc.settings)) {
    if (!SETTINGS_KEYS.has(key)) return `the setting "${key}" is not covered by the fast path yet`;
  }
  for (const key of Object.keys(doc.settings.fees)) if (!FEE_KEYS.has(key)) return `the fee "${key}" is not covered by the fast path yet`;
  for (const key of Object.keys(doc.settings.slippage)) if (!SLIPPAGE_KEYS.has(key)) return `the slippage "${key}" is not covered by the fast path yet`;
  if (!FILL_MODELS.has(doc.settings.fillModel)) return `the fill model "${doc.settings.fillModel}" is not covered by the fast path yet`;
  for (const s of doc.strategies) {
    for (const key of Object.keys(s)) if (!STRATEGY_KEYS.has(key)) return `strategy "${s.id}" uses "${key}", not covered by the fast path yet`;
    const allowed = ACTION_KEYS[s.action.type];
    if (!allowed) return `strategy "${s.id}": the action "${s.action.type}" is not covered by the fast path yet`;
    for (const key of Object.keys(s.action)) {
      if (!allowed.has(key)) return `strategy "${s.id}": the action option "${key}" is not covered by the fast path yet`;
    }
    if ('amount' in s.action && typeof s.action.amount === 'object') {
      for (const key of Object.keys(s.action.amount)) {
        if (key !== 'unit' && key !== 'value') return `strategy "${s.id}": the amount option "${key}" is not covered by the fast path yet`;
      }
    }
  }
  for (const input of plan.inputs) if (!INPUT_KINDS.has(input.kind)) return `the input "${input.kind}" is not covered by the fast path yet`;
  return null;
}
