import type { Parameter } from './document.ts';

/**
 * The values a parameter may take in a search: its `values` list; or min…max by step; or only its default.
 * One rule for the optimizer (src/optimize/space.ts) and the Optimize page's counts, so they agree. A range
 * without a step stays at its default: the document does not say how finely to sample it.
 */
export function parameterValues(p: Pick<Parameter, 'default' | 'min' | 'max' | 'step' | 'values'>): number[] {
  if (p.values) return [...new Set(p.values)].sort((a, b) => a - b);
  if (p.min !== undefined && p.max !== undefined && p.step !== undefined && p.step > 0) {
    // The epsilon keeps 0.1-steps from losing their last value to float error; toPrecision removes the
    // accumulated error (0.30000000000000004 → 0.3) so values print and compare as the user wrote them.
    const count = Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
    return Array.from({ length: count }, (_, i) => Number((p.min! + i * p.step!).toPrecision(12)));
  }
  return [p.default];
}
