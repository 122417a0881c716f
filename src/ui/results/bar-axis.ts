import type uPlot from 'uplot';
import { upperBound } from '../../lib/search.ts';
import { formatTime } from './format.ts';
import type { ChartXAxis } from './UPlotChart.tsx';

/**
 * A compressed time axis (#16 add 2): x counts bars (bar i at x = i), so nights, weekends and holidays take
 * no room. Times between two bars map linearly between their indices, so the zoom group (which keeps its
 * range in seconds) and trade markers convert both ways; ticks sit on the first bar of a calendar unit
 * (hour, day, month, year…) chosen so labels stay about MIN_TICK_PX apart, and say what changed there.
 */
export interface BarAxis extends ChartXAxis {
  /** 0, 1, …, n − 1: the chart's x values. */
  x: Float64Array;
}

const MIN_TICK_PX = 80;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Months since year 0 of a UTC epoch day (H. Hinnant's civil-from-days, no Date allocated). */
export function monthIndex(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 12 + m - 1;
}

const day = (t: number) => Math.floor(t / 86_400);
const month = (t: number) => monthIndex(day(t));
/** Calendar units, finest first: `key(t)` (t in seconds) changes exactly at each of the unit's boundaries. */
export const UNITS: { name: string; key: (t: number) => number }[] = [
  { name: '5m', key: (t) => Math.floor(t / 300) },
  { name: '15m', key: (t) => Math.floor(t / 900) },
  { name: '30m', key: (t) => Math.floor(t / 1800) },
  { name: 'hour', key: (t) => Math.floor(t / 3600) },
  { name: 'day', key: day },
  // Epoch day 0 was a Thursday: weeks start on Monday.
  { name: 'week', key: (t) => Math.floor((day(t) + 3) / 7) },
  { name: 'month', key: month },
  { name: 'quarter', key: (t) => Math.floor(month(t) / 3) },
  { name: 'year', key: (t) => Math.floor(month(t) / 12) },
  { name: '5 years', key: (t) => Math.floor(month(t) / 60) },
  { name: '10 years', key: (t) => Math.floor(month(t) / 120) },
  { name: '50 years', key: (t) => Math.floor(month(t) / 600) },
];

/** Bar i starts a new `key` unit (the first bar always does). */
const starts = (T: ArrayLike<number>, i: number, key: (t: number) => number) => i === 0 || key(T[i]!) !== key(T[i - 1]!);

/** Indices of bars i0..i1 that start a unit, of the finest unit with at most `max` of them (a bar stride if none fits). */
export function barTicks(T: ArrayLike<number>, i0: number, i1: number, max: number): { unit: string; ticks: number[] } {
  const count = (key: (t: number) => number) => {
    let c = 0;
    for (let i = i0; i <= i1 && c <= max; i++) if (starts(T, i, key)) c++;
    return c;
  };
  for (let k = 0; k < UNITS.length; k++) {
    const c = count(UNITS[k]!.key);
    if (c > max) continue;
    if (c < Math.min(2, max) && k < UNITS.length - 1) break;
    // A coarser unit with as many starts puts ticks on the same bars: name the coarser (hourly bars tick by the hour, not by 5 minutes).
    while (k + 1 < UNITS.length && count(UNITS[k + 1]!.key) === c) k++;
    const u = UNITS[k]!;
    const ticks: number[] = [];
    for (let i = i0; i <= i1; i++) if (starts(T, i, u.key)) ticks.push(i);
    return { unit: u.name, ticks };
  }
  const every = Math.max(1, Math.ceil((i1 - i0 + 1) / Math.max(1, max)));
  const ticks: number[] = [];
  for (let i = i0; i <= i1; i += every) ticks.push(i);
  return { unit: 'bars', ticks };
}

/** A tick's label: the largest calendar unit that begins at bar i ("2021", "Mar", "Mar 4", "14:30"). */
export function tickLabel(T: ArrayLike<number>, i: number): string {
  const t = T[i]!;
  const iso = new Date(t * 1000).toISOString();
  const m = month(t);
  const first = i === 0;
  if (first || Math.floor(m / 12) !== Math.floor(month(T[i - 1]!) / 12)) {
    if (first && t % 86_400 !== 0) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    return first && day(t) !== 0 && (m % 12 !== 0 || iso.slice(8, 10) !== '01') ? iso.slice(0, 10) : iso.slice(0, 4);
  }
  if (m !== month(T[i - 1]!)) return MONTHS[m % 12]!;
  if (day(t) !== day(T[i - 1]!)) return `${MONTHS[m % 12]} ${Number(iso.slice(8, 10))}`;
  return iso.slice(11, 16);
}

/** The leftmost tick also says the year ("Jun 9" alone, zoomed into one year, would not). */
export function firstTickLabel(T: ArrayLike<number>, i: number): string {
  const label = tickLabel(T, i);
  if (/^\d{4}/.test(label)) return label;
  const iso = new Date(T[i]! * 1000).toISOString();
  return T[i]! % 86_400 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The compressed axis of bars starting at `times` (epoch seconds, ascending). */
export function barAxis(times: Float64Array): BarAxis {
  const n = times.length;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const toTime = (v: number) => {
    if (n < 2) return (times[0] ?? 0) + v;
    const i = Math.min(n - 2, Math.max(0, Math.floor(v)));
    return times[i]! + (v - i) * (times[i + 1]! - times[i]!);
  };
  const fromTime = (t: number) => {
    if (n < 2) return t - (times[0] ?? 0);
    const i = Math.min(n - 2, Math.max(0, upperBound(times, t) - 1));
    return i + (t - times[i]!) / (times[i + 1]! - times[i]!);
  };
  const splits = (u: uPlot, _axis: number, min: number, max: number) => {
    const i0 = Math.max(0, Math.ceil(min));
    const i1 = Math.min(n - 1, Math.floor(max));
    if (i1 < i0) return [];
    const px = u.bbox.width / (devicePixelRatio || 1);
    return barTicks(times, i0, i1, Math.max(2, Math.floor(px / MIN_TICK_PX))).ticks;
  };
  return {
    x,
    toTime,
    fromTime,
    splits,
    values: (_u, ticks) => ticks.map((i, k) => (i >= 0 && i < n && Number.isInteger(i) ? (k === 0 ? firstTickLabel(times, i) : tickLabel(times, i)) : '')),
    legend: (_u, v) => (v == null || n === 0 ? '—' : formatTime(times[Math.min(n - 1, Math.max(0, Math.round(v)))]! * 1000)),
  };
}
