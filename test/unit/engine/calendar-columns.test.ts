import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/schema/index.ts';
import { CalendarState } from '../../../src/engine/calendar.ts';
import { calendarColumns, dayColumn } from '../../../src/engine/fast/columns.ts';
import { buildTimeline } from '../../../src/engine/fast/timeline.ts';
import { dayKeyOf } from '../../../src/engine/result.ts';
import type { BarColumns } from '../../../src/schema/index.ts';
import { doc } from './helpers.ts';

/** Bars at these times (only the times matter here). */
function at(times: readonly number[]): BarColumns {
  const time = Float64Array.from(times), one = new Float64Array(times.length).fill(1);
  return { symbol: 'A', timeframe: '1m', length: times.length, time, open: one, high: one, low: one, close: one, volume: one } as BarColumns;
}

const HOUR = 3_600_000;
// Every 37 minutes across New York's spring-forward and fall-back nights of 2024, and a few days beyond.
const start = Date.UTC(2024, 2, 8), end = Date.UTC(2024, 2, 13);
const fallStart = Date.UTC(2024, 10, 1), fallEnd = Date.UTC(2024, 10, 6);
const times: number[] = [];
for (let t = start; t < end; t += 37 * 60_000) times.push(t);
for (let t = fallStart; t < fallEnd; t += 37 * 60_000) times.push(t);

describe('calendar columns and the day column from one walk', () => {
  for (const [timeframe, timezone] of [['1m', 'America/New_York'], ['1m', 'Asia/Kolkata'], ['1d', 'America/New_York']] as const) {
    it(`${timeframe} in ${timezone}: each step's fields are CalendarState's, its day key dayKeyOf's, whichever is asked first`, () => {
      const settings: Settings = doc({ timeframe, timezone }, [{ condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'alert', message: 'x' } }]).settings;
      const data = [at(timeframe === '1d' ? times.map((t) => Math.floor(t / (24 * HOUR)) * 24 * HOUR).filter((t, i, a) => i === 0 || t > a[i - 1]!) : times)];
      const fields = new Set(['dayOfWeek', 'dayOfMonth', 'month', 'minuteOfDay', 'firstBarOfWeek', 'firstBarOfMonth'] as const);
      const calFirst = buildTimeline(data, Infinity), dayFirst = buildTimeline(data, Infinity);
      const cols = calendarColumns(calFirst, settings, fields);
      const days = dayColumn(calFirst, settings);
      const daysAlone = dayColumn(dayFirst, settings);
      expect(calendarColumns(dayFirst, settings, fields)).toEqual(cols);
      const key = dayKeyOf(settings), cal = new CalendarState(timezone, timeframe);
      const tl = calFirst;
      for (let s = 0; s < tl.steps; s++) {
        cal.update(tl.time[s]!);
        for (const f of fields) expect(cols.get(f)![s]).toBe(cal[f]);
        expect(days[s]).toBe(key(tl.time[s]!));
      }
      expect(daysAlone).toEqual(days);
    });
  }
});
