import type { Condition } from '../../schema/index.ts';
import { isRecord } from '../doc/draft.ts';

export const CONDITION_KINDS = ['compare', 'all', 'any', 'not', 'atLeast', 'atMost'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const CONDITION_NAMES: Record<ConditionKind, string> = {
  compare: 'Compare',
  all: 'All of',
  any: 'Any of',
  not: 'Not',
  atLeast: 'At least',
  atMost: 'At most',
};

export function conditionKind(c: unknown): ConditionKind | null {
  if (!isRecord(c)) return null;
  if ('op' in c) return 'compare';
  for (const k of ['all', 'any', 'not', 'atLeast', 'atMost'] as const) if (k in c) return k;
  return null;
}

export function defaultCompare(): Condition {
  return { lhs: { kind: 'price', field: 'close' }, op: '>', rhs: { kind: 'sma', window: { bars: 20 } } };
}

/** The sub-conditions a node holds, so switching between group kinds keeps the user's work. */
export function childrenOf(c: Condition): Condition[] {
  if ('all' in c) return c.all;
  if ('any' in c) return c.any;
  if ('of' in c) return c.of;
  if ('not' in c) return [c.not];
  return [c];
}

export function convertCondition(c: Condition, to: ConditionKind): Condition {
  const kids = childrenOf(c);
  switch (to) {
    case 'compare':
      return kids.find((k) => conditionKind(k) === 'compare') ?? defaultCompare();
    case 'all':
      return { all: kids };
    case 'any':
      return { any: kids };
    case 'not':
      return { not: kids.length === 1 && kids[0] ? kids[0] : { all: kids } };
    case 'atLeast':
      return { atLeast: 1, of: kids };
    case 'atMost':
      return { atMost: 1, of: kids };
  }
}
