import type { ACTION_TYPES, Action } from '../../schema/index.ts';

export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_NAMES: Record<ActionType, string> = {
  buy: 'Buy',
  sell: 'Sell',
  setWeight: 'Set weight',
  rebalance: 'Rebalance',
  closeAll: 'Close all',
  alert: 'Alert',
};

export const AMOUNT_UNITS = ['percentOfCash', 'percentOfEquity', 'cash', 'quantity', 'percentOfPosition', 'all'] as const;
export const AMOUNT_NAMES = {
  percentOfCash: '% of cash',
  percentOfEquity: '% of equity',
  cash: 'cash amount',
  quantity: 'quantity',
  percentOfPosition: '% of position',
  all: 'all',
} as const;

/** A fresh action of a type, keeping the asset when both old and new types have one. */
export function convertAction(a: Action, to: ActionType, universe: readonly string[]): Action {
  const asset = 'asset' in a ? a.asset : undefined;
  const withAsset = asset === undefined ? {} : { asset };
  const exits = 'exits' in a && a.exits ? { exits: a.exits } : {};
  switch (to) {
    case 'buy':
    case 'sell':
      return { type: to, ...withAsset, amount: 'amount' in a ? a.amount : { unit: 'all' }, ...('entry' in a && a.entry ? { entry: a.entry } : {}), ...exits };
    case 'setWeight':
      return { type: to, ...withAsset, weight: 1, ...exits };
    case 'rebalance':
      return { type: to, weights: universe.map((s) => ({ asset: s, weight: 1 / universe.length })) };
    case 'closeAll':
      return { type: to };
    case 'alert':
      return { type: to, message: 'signal' };
  }
}
