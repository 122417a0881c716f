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

/** A small deterministic generator (mulberry32): the same times on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('calendar and day columns convert a zone once per local day (day-span.ts), with the per-step results', () => {
  const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/St_Johns', 'Asia/Kathmandu', 'UTC'];
  for (const timezone of zones) {
    it(`${timezone}: random steps (fractional ms, just before and after local and UTC midnights, across transitions) match CalendarState and dayKeyOf`, () => {
      const r = rng(timezone.length * 7919);
      const times: number[] = [];
      let t = Date.UTC(2010, 11, 20) + 0.25;
      while (times.length < 20_000) {
        const pick = r();
        if (pick < 0.15) {
          // Land within a few ms (and fractions of one) of a local or UTC midnight.
          const base = Math.ceil((t + 1) / 86_400_000) * 86_400_000 + (r() < 0.5 ? 0 : 3_600_000 * Math.round(r() * 28 - 14) / 2);
          const near = base + (r() - 0.5) * 4 + (r() < 0.3 ? 1e-7 : 0);
          t = near > t ? near : t + 1;
        } else if (pick < 0.8) t += 60_000 * (1 + Math.floor(r() * 30)) + (r() < 0.2 ? r() : 0);
        else t += 3_600_000 * (1 + Math.floor(r() * 80));
        times.push(t);
      }
      for (const timeframe of ['1m', '1d'] as const) {
        const settings: Settings = doc({ timeframe, timezone }, [{ condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'alert', message: 'x' } }]).settings;
        const fields = new Set(['dayOfWeek', 'dayOfMonth', 'month', 'minuteOfDay', 'firstBarOfWeek', 'firstBarOfMonth'] as const);
        const tl = buildTimeline([at(times)], Infinity), alone = buildTimeline([at(times)], Infinity);
        const cols = calendarColumns(tl, settings, fields);
        const days = dayColumn(tl, settings), daysAlone = dayColumn(alone, settings);
        const key = dayKeyOf(settings), cal = new CalendarState(timezone, timeframe);
        for (let s = 0; s < tl.steps; s++) {
          cal.update(tl.time[s]!);
          for (const f of fields) if (!Object.is(cols.get(f)![s], cal[f])) expect([timeframe, s, f, cols.get(f)![s]]).toEqual([timeframe, s, f, cal[f]]);
          const k = key(tl.time[s]!);
          if (days[s] !== k || daysAlone[s] !== k) expect([timeframe, s, days[s], daysAlone[s]]).toEqual([timeframe, s, k, k]);
        }
      }
    });
  }
});
