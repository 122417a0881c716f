import { exchangeZone, type BarColumns, type CalendarField, type Settings, type StepSeries } from '../../schema/index.ts';
import type { Plan } from '../../strategy/index.ts';
import { CalendarState } from '../calendar.ts';
import { dayKeyOf } from '../result.ts';
import { daySpanFor } from './day-span.ts';
import { prepareTimeline, type Timeline } from './timeline.ts';

/** Where the value of a slot comes from, when it depends only on the data (never on the portfolio). */
export type SlotSource =
  /** The asset's column, read at its latest bar at or before the step (NaN before its first bar). */
  | { readonly kind: 'bar'; readonly asset: number; readonly column: Float64Array }
  /** A column with one value per step (calendar fields, step series). */
  | { readonly kind: 'step'; readonly column: Float64Array }
  /** Output `output` of plan indicator `indicator`, computed by the signal pass and kept by no one (transient.ts). */
  | { readonly kind: 'transient'; readonly asset: number; readonly indicator: number; readonly output: number };

/*
 * Day and calendar columns are functions of a timeline's step times only, so they are kept by its time column
 * (the view object): a timeline built on a prepared one (timeline.ts prepareTimeline) has that one's time
 * column, and finds what was computed for it before the run.
 */
const dayCache = new WeakMap<Float64Array, Map<string, Float64Array>>();
const dayColumnKey = (settings: Settings) => `${exchangeZone(settings)}|${settings.timeframe}`;

/** The day columns kept for a timeline, by dayColumnKey (made on first use). */
function daysOf(tl: Timeline): Map<string, Float64Array> {
  let byKey = dayCache.get(tl.time);
  if (!byKey) dayCache.set(tl.time, (byKey = new Map()));
  return byKey;
}

const calendarCache = new WeakMap<Float64Array, Map<string, Map<CalendarField, Float64Array>>>();

const CALENDAR_FIELDS = ['dayOfWeek', 'dayOfMonth', 'month', 'minuteOfDay', 'firstBarOfWeek', 'firstBarOfMonth'] as const;

/**
 * Calendar fields per step, produced by the kernel's own CalendarState stepping over every step of the
 * timeline (warm-up included), so "first bar of the month" compares with the previous step exactly as the
 * reference does.
 */
export function calendarColumns(tl: Timeline, settings: Settings, fields: ReadonlySet<CalendarField>): Map<CalendarField, Float64Array> {
  const out = new Map<CalendarField, Float64Array>();
  if (fields.size === 0) return out;
  const wanted = CALENDAR_FIELDS.filter((f) => fields.has(f));
  const zone = exchangeZone(settings);
  // A time column (one per data set and range end) gets its calendar columns once: sweeps and repeated runs share them.
  const key = `${zone}|${settings.timeframe}|${wanted.join(',')}`;
  let byKey = calendarCache.get(tl.time);
  if (!byKey) calendarCache.set(tl.time, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  for (const f of wanted) out.set(f, new Float64Array(tl.steps));
  byKey.set(key, out);
  const col = (f: CalendarField) => out.get(f) ?? null;
  const dow = col('dayOfWeek'), dom = col('dayOfMonth'), month = col('month'), mod = col('minuteOfDay');
  const fbw = col('firstBarOfWeek'), fbm = col('firstBarOfMonth');
  // The same walk gives each step's day key (CalendarState's local day is dayKeyOf's): dayColumn's pass, and
  // its time-zone work, are not repeated (on W2's first run in Node the two were 59 and 46 ms).
  const daysKey = dayColumnKey(settings);
  const days = daysOf(tl).has(daysKey) ? null : new Float64Array(tl.steps);
  const cal = new CalendarState(zone, settings.timeframe);
  const span = daySpanFor(settings);
  const time = tl.time, S = tl.steps;
  // A span at a time (day-span.ts): its first step updates the calendar; its other steps share that local
  // day, so the day's fields and key are filled over the span and only the minute is computed per step.
  // Fresh columns are 0 already: a flag is written only where it is 1 (W2's first-bar-of-month column: 120 of
  // 982,800 steps), which leaves most of its pages untouched. Stepping every step instead was 1.4-2.4x slower
  // (W2's fields, 100k steps, warm: 0.51-0.92 ms against 0.35-0.39).
  for (let s = 0; s < S;) {
    const t = time[s]!;
    cal.update(t);
    span.start(t, cal.dayKey);
    const until = span.until;
    let e = s + 1;
    while (e < S && time[e]! < until) e++;
    if (dow !== null) dow.fill(cal.dayOfWeek, s, e);
    if (dom !== null) dom.fill(cal.dayOfMonth, s, e);
    if (month !== null) month.fill(cal.month, s, e);
    if (days !== null) days.fill(cal.dayKey, s, e);
    if (fbw !== null && cal.firstBarOfWeek !== 0) fbw[s] = cal.firstBarOfWeek;
    if (fbm !== null && cal.firstBarOfMonth !== 0) fbm[s] = cal.firstBarOfMonth;
    if (mod !== null) {
      mod[s] = cal.minuteOfDay;
      // CalendarState.update's same-day branch with the span's offset, in its order of operations.
      const off = span.off, dayStart = cal.dayKey * 86_400_000;
      for (let k = s + 1; k < e; k++) mod[k] = Math.floor((time[k]! + off - dayStart) / 60_000);
    }
    s = e;
  }
  if (days !== null) daysOf(tl).set(daysKey, days);
  return out;
}

/**
 * The kernel's calendar, fed from per-step columns: the fast walk only visits event steps, and a stepping
 * CalendarState would compare each event with the previous event instead of the previous step.
 */
export class ColumnCalendar extends CalendarState {
  /** The step the next update() reads. */
  step = 0;
  constructor(settings: Settings, private readonly columns: Map<CalendarField, Float64Array>) {
    super(exchangeZone(settings), settings.timeframe);
  }

  override update(): void {
    for (const [field, col] of this.columns) this[field] = col[this.step]!;
  }
}

/**
 * The day key (result.ts dayKeyOf: the calendar day daily returns group by) of every step, once per timeline
 * and zone: statistics then read it instead of converting each recorded time to local time in every run.
 */
export function dayColumn(tl: Timeline, settings: Settings): Float64Array {
  const key = dayColumnKey(settings), byKey = daysOf(tl);
  let col = byKey.get(key);
  if (!col) {
    const dayKey = dayKeyOf(settings);
    const span = daySpanFor(settings);
    const time = tl.time, S = tl.steps;
    col = new Float64Array(S);
    // Within a span (day-span.ts) the day key is the span's first one: filled a span at a time.
    for (let s = 0; s < S;) {
      const t = time[s]!, day = dayKey(t);
      span.start(t, day);
      const until = span.until;
      let e = s + 1;
      while (e < S && time[e]! < until) e++;
      col.fill(day, s, e);
      s = e;
    }
    byKey.set(key, col);
  }
  return col;
}

/** A step series as of each step: the last value whose time is at or before the step's time. */
function seriesColumn(tl: Timeline, s: StepSeries): Float64Array {
  const out = new Float64Array(tl.steps);
  let c = -1;
  for (let i = 0; i < tl.steps; i++) {
    const t = tl.time[i]!;
    while (c + 1 < s.length && s.time[c + 1]! <= t) c++;
    out[i] = c >= 0 ? s.value[c]! : NaN;
  }
  return out;
}

const BAR_FIELDS = { open: 0, high: 1, low: 2, close: 3, volume: 4 } as const;

/**
 * Data-only slots of a plan and their columns; slots missing from the map depend on the portfolio. A null in
 * `precomputed` is a transient indicator (transient.ts): its slots name it instead of a column.
 */
export function slotSources(
  plan: Plan, cols: readonly BarColumns[], precomputed: readonly (readonly Float64Array[] | null)[], tl: Timeline,
  calendar: Map<CalendarField, Float64Array>, series: readonly StepSeries[],
): Map<number, SlotSource> {
  const out = new Map<number, SlotSource>();
  plan.indicators.forEach((pi, k) => {
    const c = precomputed[k]!;
    pi.outputs.forEach((o, m) => out.set(o.slot, c === null ? { kind: 'transient', asset: pi.asset, indicator: k, output: m } : { kind: 'bar', asset: pi.asset, column: c[m]! }));
  });
  for (const input of plan.inputs) {
    switch (input.kind) {
      case 'price': {
        const c = cols[input.asset]!;
        out.set(input.slot, { kind: 'bar', asset: input.asset, column: [c.open, c.high, c.low, c.close, c.volume][BAR_FIELDS[input.field]]! });
        break;
      }
      case 'calendar': out.set(input.slot, { kind: 'step', column: calendar.get(input.field)! }); break;
      case 'series': {
        const symbol = input.asset < 0 ? null : plan.assets[input.asset]!;
        const s = series.find((x) => x.name === input.name && x.symbol === symbol);
        if (!s) throw new RangeError(`series "${input.name}"${symbol ? ` for ${symbol}` : ' (global)'} is not loaded`);
        out.set(input.slot, { kind: 'step', column: seriesColumn(tl, s) });
        break;
      }
      default: break;
    }
  }
  return out;
}

/**
 * What a run on `bars`' times will compute from the times alone, computed now: the timeline (timeline.ts
 * prepareTimeline), its day column and the calendar columns `plan` reads. A worker does it when the first
 * asset of a load arrives ahead of its run (EngineService.assetColumns) while the data worker reads the rest:
 * a run whose assets all have these times then finds them made (W2's first run: its timeline, day column and
 * first-bar-of-month column, ~55-80 ms of it in a Chromium worker). Not for a run cut at a range end (its
 * timeline is shorter). Nothing when the times do not increase: the run reports that itself.
 */
export function prepareTimes(bars: BarColumns, settings: Settings, plan: Plan): void {
  if (settings.range?.to !== undefined) return;
  let tl: Timeline | null;
  try {
    tl = prepareTimeline(bars);
  } catch {
    return;
  }
  if (!tl) return;
  calendarColumns(tl, settings, calendarFieldsOf(plan));
  dayColumn(tl, settings);
}

/** The calendar fields `plan` reads (what calendarColumns computes for its runs). */
export function calendarFieldsOf(plan: Plan): Set<CalendarField> {
  const fields = new Set<CalendarField>();
  for (const input of plan.inputs) if (input.kind === 'calendar') fields.add(input.field);
  return fields;
}
