import uPlot from 'uplot';
import { formatTime } from './format.ts';

const DAY = 86_400;
const MONTH = DAY * 30;
const YEAR = DAY * 365;
/** uPlot's own time increments from one day up (its month and year steps are calendar-aware at 30 and 365 days). */
export const DAY_INCRS = [DAY, 2 * DAY, 3 * DAY, 4 * DAY, 5 * DAY, 7 * DAY, 10 * DAY, 15 * DAY,
  MONTH, 2 * MONTH, 3 * MONTH, 4 * MONTH, 6 * MONTH, YEAR, 2 * YEAR, 5 * YEAR, 10 * YEAR, 25 * YEAR, 50 * YEAR, 100 * YEAR];

/** Every x (seconds) at midnight UTC: daily or coarser bars, whose axis and legend show dates only. */
export function isDaily(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i]! % DAY !== 0) return false;
  return x.length > 0;
}

/** Bar times are UTC epoch ms, so the axis is in UTC too (the browser's zone would put daily bars at 7pm). */
export const utcDate = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

/** The legend's time: a date for daily bars (no "12:00am"), else date and UTC time, as the tables print it. */
export const legendTime = (_u: uPlot, v: number | null) => (v == null ? '—' : formatTime(v * 1000));
