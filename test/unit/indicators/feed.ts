/** Helpers for the reference-vector tests: feed a series, read outputs, compare with a tolerance. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Indicator } from '../../../src/indicators/index.ts';

export const DAY = 86_400_000;

/** Feeds closes (and highs/lows when given) one a day; returns `read(ind)` after each update. */
export function feed<I extends Indicator>(
  ind: I,
  close: readonly number[],
  read: (ind: I) => number = (i) => i.value,
  high: readonly number[] = close,
  low: readonly number[] = close,
): number[] {
  return close.map((c, i) => {
    ind.update(i * DAY, c, high[i]!, low[i]!);
    return read(ind);
  });
}

/** Every output from `from` on is within `tol` of `expected`, and everything before `from` is NaN. */
export function expectSeries(
  actual: readonly number[],
  expected: readonly number[],
  from: number,
  tol: number | ((expected: number) => number),
): void {
  expect(actual.slice(0, from).every(Number.isNaN), `NaN before index ${from}`).toBe(true);
  expect(actual.length - from).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[from + i]!;
    const t = typeof tol === 'number' ? tol : tol(e);
    expect(Math.abs(a - e), `index ${from + i}: got ${a}, expected ${e}`).toBeLessThanOrEqual(t);
  });
}

/** Half a unit of the last printed digit of a published value, plus float noise. */
export function printedTolerance(x: number): number {
  return 0.5 * 10 ** -(String(x).split('.')[1] ?? '').length + 1e-9;
}

/** Rows of a two-column `Input,Expected` CSV; Expected is NaN where blank. */
export function readInputExpected(path: string): { input: number[]; expected: number[] } {
  const rows = readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  return {
    input: rows.map((r) => Number(r[0])),
    expected: rows.map((r) => (r[1] === undefined || r[1].trim() === '' ? NaN : Number(r[1]))),
  };
}
