/** uPlot draws a gap for null; NaN (an indicator still warming up) would poison its axis ranges. */
export function gaps(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
}
