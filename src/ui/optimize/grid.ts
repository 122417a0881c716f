import type { Parameter } from '../../schema/index.ts';

/** How many values a grid search tries for one parameter: its list, its stepped range, or just its default. */
export function valueCount(p: Parameter): number {
  if (p.values) return p.values.length;
  if (p.min !== undefined && p.max !== undefined && p.step !== undefined && p.step > 0) {
    // The epsilon keeps 0.1-steps from losing their last value to float error.
    return Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
  }
  return 1;
}

export function gridSize(params: Readonly<Record<string, Parameter>>): number {
  return Object.values(params).reduce((n, p) => n * valueCount(p), 1);
}
