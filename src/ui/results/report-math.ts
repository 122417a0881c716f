/** Pure helpers behind the report's tables and charts (kept apart from React so they are easy to test). */

export interface MonthlyRow {
  year: number;
  /** Index 0 = January; null where the run has no equity in that month. Fractions (0.012 = 1.2 %). */
  months: (number | null)[];
  /** The year's compounded return over the months it has. */
  total: number;
}

/**
 * Month-by-month returns of an equity curve: each month's last equity over the previous month's last (the
 * first month over the curve's first point), by UTC calendar month as bar times are UTC.
 */
export function monthlyReturns(time: ArrayLike<number>, equity: ArrayLike<number>): MonthlyRow[] {
  const n = Math.min(time.length, equity.length);
  if (n === 0) return [];
  const rows = new Map<number, MonthlyRow>();
  let prev = equity[0]!;
  let key = -1;
  let last = prev;
  const close = () => {
    if (key < 0) return;
    const year = Math.floor(key / 12), month = key % 12;
    let row = rows.get(year);
    if (!row) rows.set(year, (row = { year, months: Array<number | null>(12).fill(null), total: 0 }));
    row.months[month] = prev !== 0 ? last / prev - 1 : null;
    prev = last;
  };
  for (let i = 0; i < n; i++) {
    const d = new Date(time[i]!);
    const k = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (k !== key) {
      close();
      key = k;
    }
    last = equity[i]!;
  }
  close();
  const out = [...rows.values()].sort((a, b) => a.year - b.year);
  for (const r of out) r.total = r.months.reduce<number>((acc, m) => (m === null ? acc : acc * (1 + m)), 1) - 1;
  return out;
}

export interface Histogram {
  /** Lower edge of each bin, in the values' unit; bins are `width` wide. */
  edges: number[];
  width: number;
  counts: number[];
}

/** A "nice" bin width (1, 2 or 5 × 10^k) giving about `target` bins over the values' range. */
function niceWidth(span: number, target: number): number {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * The least and the greatest of `v` as Math.min and Math.max give them (−0 below +0; Infinity and −Infinity
 * when empty), in a loop: `Math.min(...v)` passes every value as an argument, and from ~125k values (a run's
 * trade returns) it overflowed the stack and took the results page down.
 */
export function extent(v: ArrayLike<number>): [lo: number, hi: number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < lo || (x === 0 && lo === 0 && Object.is(x, -0))) lo = x;
    if (x > hi || (x === 0 && hi === 0 && Object.is(hi, -0))) hi = x;
  }
  return [lo, hi];
}

/** Histogram of finite values on bins aligned to multiples of a nice width (so 0 is always an edge). */
export function histogram(values: readonly number[], target = 20): Histogram {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { edges: [], width: 0, counts: [] };
  const [lo, hi] = extent(v);
  const width = hi > lo ? niceWidth(hi - lo, target) : 1;
  const start = Math.floor(lo / width) * width;
  const bins = Math.max(1, Math.floor((hi - start) / width) + 1);
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - start) / width))]!++;
  return { edges: counts.map((_, i) => start + i * width), width, counts };
}
