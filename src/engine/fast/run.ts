import type { BarColumns, CalendarField, RunResult, StepSeries, StrategyDocument } from '../../schema/index.ts';
import { Strings } from '../../lib/result-table.ts';
import type { FastCondition, Plan, PlanStrategy } from '../../strategy/index.ts';
import { IndicatorCache } from '../indicator-cache.ts';
import { Kernel } from '../kernel.ts';
import { RunError } from '../market.ts';
import type { Portfolio } from '../portfolio.ts';
import { releaseRecorder, type Recorder } from '../recorder.ts';
import { bucketOf, buildResult, samplingMode } from '../result.ts';
import type { Venue } from '../venue.ts';
import { calendarColumns, calendarFieldsOf, ColumnCalendar, dayColumn, slotSources, type SlotSource } from './columns.ts';
import { CurveSampler } from './curve-sampler.ts';
import { mergedEvents, releaseMerge, type Merged } from './merge.ts';
import { GateSet, positionGate } from './position-gate.ts';
import { recordQuiet, type QuietState } from './quiet.ts';
import {
  dataKeyOf, groupsOf, releaseEvents, signalPass, strategyPass, Unsupported, type Events, type EventsData, type PassScope, type SignalShare, type StrategyPass,
} from './signals.ts';
import { fastUnsupported } from './support.ts';
import { timelineFor, type Timeline } from './timeline.ts';
import { columnsTransient, TransientColumns } from './transient.ts';
import { CompiledWalk, compiledUnsupported } from './walk.ts';

/**
 * How many fast runs took the compiled walk and how many the kernel-assisted walk, how many compiled runs
 * folded their statistics as they went (record 'stats'), and how many candidate events the kernel-assisted
 * walk passed over behind a closed position gate; tests read it.
 */
export { transientRuns, walkRuns } from './counters.ts';
import { walkRuns } from './counters.ts';

export interface FastInput {
  doc: StrategyDocument;
  plan: Plan;
  cols: readonly BarColumns[];
  series: readonly StepSeries[];
  from: number;
  to: number;
  warnings: string[];
  /** The reference's venue for this run (fill model and venue options). */
  venue: (assets: number) => Venue;
  audit: boolean;
  record: 'full' | 'stats';
  /** With record 'stats': whether the result keeps its trades (RunOptions.trades). */
  trades: boolean;
  /** RunOptions.columns. */
  columns: boolean;
  /** Warnings known only after the run, from its venue (the bar magnifier's misses). */
  venueWarnings?: (venue: Venue | null) => string[];
  indicatorCache?: IndicatorCache;
  /**
   * Set for a small run under 'auto': only the compiled walk pays there (the kernel-assisted walk's set-up
   * costs about what it saves), so a run it cannot take returns this reason (then the reference runs).
   */
  compiledOnly?: string;
  /** Called every few thousand steps with the fraction done; throws to cancel. */
  tick?: (fraction: number) => void;
  /** Throws when the run is cancelled; called between the signal pass's groups (RunOptions.cancel). */
  check?: () => void;
  tickEvery: number;
  /** Parts of this run's signal pass computed on other threads (RunOptions.shares). */
  shares?: readonly SignalShare[];
}

/** The events the shares hold, by strategy; the transient indicators they computed are noted as ready from their row. */
function given(shares: readonly SignalShare[], transient: TransientColumns | null): PassScope {
  const out = new Map<number, EventsData>();
  for (const s of shares) {
    s.strategies.forEach((i, j) => out.set(i, s.events[j]!));
    if (transient && s.ready.length === transient.readyFrom.length) {
      s.ready.forEach((r, k) => { if (r >= 0 && transient.readyFrom[k] === -1) transient.readyFrom[k] = r; });
    }
  }
  return { given: out };
}

/**
 * The kernel sees only event steps; at each, a strategy with a candidate event at this step restores the
 * crossing memory it had before this evaluation and runs its real compiled condition, so the decision,
 * the memory and the audit trace are the reference's. Elsewhere it returns false (the signal pass proved
 * it cannot fire there).
 */
function gated(s: PlanStrategy, ev: Events, at: { step: number }): PlanStrategy {
  const orig = s.condition.fast;
  const cr = ev.crossings;
  let next = 0;
  const fast: FastCondition = (v, m) => {
    while (next < ev.count && ev.steps[next]! < at.step) next++;
    if (next >= ev.count || ev.steps[next] !== at.step) return false;
    const base = next * 2 * cr;
    for (let k = 0; k < cr; k++) {
      m[4 * k + 2] = ev.memory[base + 2 * k]!;
      m[4 * k + 3] = ev.memory[base + 2 * k + 1]!;
    }
    next++;
    return orig(v, m);
  };
  return { ...s, condition: { ...s.condition, fast } };
}

/** What a run's signal pass reads, set up as runFast sets it up (a SignalShare computes part of that pass). */
interface PassSetup {
  readonly tl: Timeline;
  readonly precomputed: readonly (readonly Float64Array[] | null)[];
  readonly transient: TransientColumns | null;
  readonly data: Map<number, SlotSource>;
  readonly passes: StrategyPass[];
  readonly firstStep: number;
  readonly traces: boolean;
  readonly calFields: ReadonlySet<CalendarField>;
  readonly calCols: ReturnType<typeof calendarColumns>;
}

function passSetup(x: FastInput): PassSetup | string {
  const { doc, plan, cols, from } = x;
  const why = fastUnsupported(doc, plan);
  if (why) return why;
  const tl = timelineFor(cols, x.to);
  const S = tl.steps;
  if (S === 0) throw new RunError('no bars in the selected range');
  const cache = x.indicatorCache ?? new IndicatorCache();
  const traces = x.audit && x.record === 'full';
  // A full-record run does not keep columns its signal pass can compute (transient.ts); a statistics run is a
  // sweep's candidate, whose next candidates read the same columns: it keeps them. A cached column is read.
  const lazy = x.record === 'full' && columnsTransient(plan, traces);
  const precomputed = plan.indicators.map((pi) => (lazy && !cache.has(pi, cols[pi.asset]!) ? null : cache.get(pi, cols[pi.asset]!)));
  const transient = precomputed.includes(null) ? new TransientColumns(plan, cols) : null;
  const calFields = calendarFieldsOf(plan);
  const calCols = calendarColumns(tl, doc.settings, calFields);
  const data = slotSources(plan, cols, precomputed, tl, calCols, x.series);
  let passes;
  try {
    const dataKey = dataKeyOf(data);
    passes = plan.strategies.map((s) => strategyPass(plan, s, data, dataKey));
  } catch (e) {
    if (e instanceof Unsupported) return `a condition uses ${e.message}, not covered by the fast path yet`;
    throw e;
  }
  let firstStep = 0;
  while (firstStep < S && tl.time[firstStep]! < from) firstStep++;
  return { tl, precomputed, transient, data, passes, firstStep, traces, calFields, calCols };
}

/**
 * Part `part` of `parts` of the signal pass of the run `x` would be (see SignalShare), or null where a share
 * does not pay: the run would keep its columns (nothing to compute but the loop) or not take the compiled walk.
 */
export function fastSignalShare(x: FastInput, part: number, parts: number): SignalShare | null {
  const setup = passSetup(x);
  if (typeof setup === 'string') return null;
  const { tl, transient, data, passes, firstStep, traces } = setup;
  if (transient === null || compiledUnsupported(x.plan, passes, traces) !== null) return null;
  let events;
  try {
    events = signalPass(passes, tl, data, firstStep, transient, { part, parts }, x.check ?? null);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  const strategies: number[] = [], out: EventsData[] = [];
  // Strategies of the groups this part ran (a group of another part left its lists empty and untouched).
  const mine = new Set(groupsOf(passes).filter((_, g) => g % parts === part).flat());
  for (const i of mine) {
    strategies.push(i);
    out.push(events[i]!.toData());
  }
  releaseEvents(events);
  const ready = Int32Array.from(transient.readyFrom, (r, k) => (transient.kept[k] ? -1 : r));
  return { part, parts, strategies: Int32Array.from(strategies), events: out, ready };
}

/**
 * A whole run on the fast path, or the reason it cannot take the document (then the reference runs).
 * Same plan, same kernel for everything that acts (orders, fills, sizing, costs, rebalancing, recording at
 * events); what changes is which steps it visits: indicator columns come precomputed, conditions that
 * cannot fire are ruled out by the fused signal pass, and between events equity is marked from the close
 * columns with no kernel step at all.
 */
export function runFast(x: FastInput): RunResult | string {
  const { doc, plan, cols, from } = x;
  const setup = passSetup(x);
  if (typeof setup === 'string') return setup;
  const { tl, precomputed, transient, data, passes, firstStep, traces, calFields, calCols } = setup;
  const S = tl.steps;
  let events;
  try {
    events = signalPass(passes, tl, data, firstStep, transient, x.shares ? given(x.shares, transient) : null, x.check ?? null);
  } catch (e) {
    if (e instanceof Unsupported) return e.message;
    throw e;
  }

  const tradable = firstTradableStep(plan, precomputed, tl, firstStep, transient);
  const days = (length: number) => (length === S - firstStep ? dayColumn(tl, doc.settings).subarray(firstStep, S) : undefined);
  if (compiledUnsupported(plan, passes, traces) === null) {
    walkRuns.compiled++;
    const statsOnly = x.record === 'stats';
    const fold = statsOnly && !plan.inputs.some((i) => i.kind === 'drawdown');
    if (fold) walkRuns.folded++;
    // A full record sampled by bucket: statistics folded and curves sampled chunk by chunk (CurveSampler),
    // so no run-long per-step history is written; curves of every bar need it (buildResult samples them).
    const mode = statsOnly ? 'bar' : samplingMode(doc.settings);
    const dayKeys = fold || mode !== 'bar' ? dayColumn(tl, doc.settings) : null;
    const sampler = mode === 'bar' ? undefined : new CurveSampler(tl.time, S - 1, mode === 'day' ? { days: dayKeys! } : { bucket: bucketOf(doc.settings)! });
    if (sampler) walkRuns.sampled++;
    if (passes.some((q) => !q.dataOnly)) walkRuns.deciding++;
    if (plan.strategies.some((q) => q.action.type === 'rebalance')) walkRuns.rebalancing++;
    const strings = x.columns && !statsOnly ? new Strings() : null;
    const w = new CompiledWalk({
      plan, settings: doc.settings, cols, tl, events, passes, data, firstStep, tradable, keepLog: !statsOnly, strings, tick: x.tick, tickEvery: x.tickEvery,
      fold: dayKeys ? { days: dayKeys, sampler } : undefined,
    });
    w.run();
    w.finish();
    releaseEvents(events);
    if (w.recordedSteps === 0) throw new RunError('no bars in the selected range');
    const more = x.venueWarnings?.(null);
    const warnings = more !== undefined && more.length > 0 ? [...x.warnings, ...more] : x.warnings;
    const result = buildResult(w, warnings, statsOnly, w.series ? undefined : days(w.recorder.length), w.series ?? undefined, true, x.trades, w.tables);
    if (!w.series) releaseRecorder(w.recorder);
    result.engine = 'fast';
    return result;
  }
  // columnsTransient said the compiled walk takes this plan: nothing after this point reads a transient column.
  if (transient) throw new Error('a run with transient indicator columns left the compiled walk');
  if (x.compiledOnly) return x.compiledOnly;
  walkRuns.kernel++;

  const at = { step: -1 };
  const runPlan: Plan = { ...plan, strategies: plan.strategies.map((s, i) => gated(s, events[i]!, at)) };
  const calendar = calFields.size > 0 ? new ColumnCalendar(doc.settings, calCols) : undefined;
  const kernel = new Kernel({
    plan: runPlan,
    settings: doc.settings,
    venue: x.venue,
    series: x.series,
    fromTime: from,
    audit: x.audit,
    record: x.record,
    capacity: S - firstStep,
    precomputed: precomputed as Float64Array[][],
    calendar,
  });
  // The kernel finds the first tradable bar by looking at every recorded step; the walk skips steps, so
  // the same scan runs over the indicator columns (above) and is handed to it.
  if (tradable >= 0) kernel.tradableFrom = tl.time[tradable]!;
  const walk = new Walk(kernel, cols, tl, passes, events, firstStep, at, calendar, data, x);
  walk.run();
  walk.release();
  releaseEvents(events);
  kernel.stepIndex = S - 1;
  kernel.barsSeen = tl.bars;
  if (kernel.recorder.length === 0) throw new RunError('no bars in the selected range');
  kernel.venue.finish();
  if (doc.settings.closeAtEnd) {
    // The reference closes at its last step's time; the fast kernel's clock stopped at its last event.
    kernel.time = tl.time[S - 1]!;
    kernel.closeAtEnd();
  }
  // Every step from firstStep on is recorded, so the recorder's i-th entry is step firstStep + i.
  const warnings = x.venueWarnings ? [...x.warnings, ...x.venueWarnings(kernel.venue)] : x.warnings;
  const result = buildResult(kernel, warnings, x.record === 'stats', days(kernel.recorder.length), undefined, true, x.trades);
  releaseRecorder(kernel.recorder);
  result.engine = 'fast';
  return result;
}

/**
 * The kernel's tradableFrom rule over columns: the first step at or after `firstStep` at which every output
 * of every indicator, read at its asset's latest bar, has a value; −1 when none has. A transient indicator
 * (null column, transient.ts) has a value from its readyFrom row on, unless it has gaps (then a copy is kept).
 */
export function firstTradableStep(
  plan: Plan, precomputed: readonly (readonly Float64Array[] | null)[], tl: Timeline, firstStep: number, transient: TransientColumns | null = null,
): number {
  const n = tl.count.length;
  const cursor = new Int32Array(n).fill(-1);
  const assetOf = plan.indicators.map((pi) => pi.asset);
  for (let s = 0; s < tl.steps; s++) {
    for (let a = 0; a < n; a++) {
      const nx = cursor[a]! + 1;
      if (nx < tl.count[a]! && tl.stepOf[a]![nx] === s) cursor[a] = nx;
    }
    if (s < firstStep) continue;
    let ready = true;
    for (let k = 0; k < precomputed.length && ready; k++) {
      const i = cursor[assetOf[k]!]!;
      let out: readonly Float64Array[] | null = precomputed[k]!;
      if (out === null) {
        // Defined from a row on (a copy is kept of one that is not: transient.ts).
        const from = transient!.ready(k);
        out = transient!.kept[k] ?? null;
        if (out === null) {
          if (i < from) ready = false;
          continue;
        }
      }
      for (let m = 0; m < out.length; m++) if (i < 0 || Number.isNaN(out[m]![i]!)) { ready = false; break; }
    }
    if (ready) return s;
  }
  return -1;
}

/**
 * The event-driven walk. Every step advances the per-asset cursors and marks the assets with a bar at their
 * close; a step that is nobody's event records equity (cash + Σ quantity × mark, the portfolio's own sum)
 * and moves on. At a candidate step with no fill due, the candidates' real conditions are first decided
 * against the portfolio as it stands (nothing has acted yet, so this is what the kernel would see): when
 * none fires, the step is recorded like any other. Otherwise — or when a fill is due — the step goes
 * through kernel.step, with the stale assets' slots brought up to their latest bar.
 *
 * The per-step loop (run) is kept small and the event work out of line (decide, kernelStep): inlining the
 * kernel into one large loop made V8 spend up to a second compiling it and deoptimize it repeatedly.
 */
class Walk implements QuietState {
  readonly n: number;
  readonly cursor: Int32Array;
  private readonly vAt: Int32Array;
  private readonly barNow: Int32Array;
  private bars = 0;
  /** Per asset: the data slots it writes at its bars, and their columns; then the per-step slots. */
  private readonly slotsOf: number[][];
  private readonly colsOf: Float64Array[][];
  private readonly stepSlots: number[] = [];
  private readonly stepCols: Float64Array[] = [];
  private readonly hasInputs: boolean;
  private readonly scratch: Float64Array[];
  private readonly conds: FastCondition[];
  private readonly ev: Merged;
  private ei = 0;
  private nextFill = 0;
  /** The strategies' position gates (position-gate.ts), and whether each is open (1) now (gates.open). */
  private readonly gates: GateSet;
  /** Scratch for kernel.only: the strategies with a candidate event at the step. */
  private readonly active: Int32Array;
  readonly closes: Float64Array[];
  readonly bench: number;
  readonly tracked: Int32Array;
  readonly trackedQty: Float64Array;
  /** QuietState: this walk records every step for the kernel's buildResult (no folding). */
  readonly series = null;
  readonly days = null;

  constructor(
    private readonly k: Kernel, private readonly cols: readonly BarColumns[], readonly tl: Timeline,
    private readonly passes: readonly StrategyPass[], private readonly events: readonly Events[], readonly firstStep: number,
    private readonly at: { step: number }, private readonly calendar: ColumnCalendar | undefined, data: Map<number, SlotSource>,
    private readonly x: FastInput,
  ) {
    const n = this.n = cols.length;
    this.cursor = new Int32Array(n).fill(-1);
    this.vAt = new Int32Array(n).fill(-1);
    this.barNow = new Int32Array(n);
    this.slotsOf = Array.from({ length: n }, () => []);
    this.colsOf = Array.from({ length: n }, () => []);
    for (const [slot, src] of data) {
      if (src.kind === 'transient') throw new Error(`slot ${slot} is transient, but the kernel-assisted walk reads it`);
      if (src.kind === 'bar') {
        this.slotsOf[src.asset]!.push(slot);
        this.colsOf[src.asset]!.push(src.column);
      } else {
        this.stepSlots.push(slot);
        this.stepCols.push(src.column);
      }
    }
    this.hasInputs = k.plan.inputs.some((i) => i.kind !== 'price');
    this.scratch = passes.map((q) => new Float64Array(4 * q.crossings));
    this.conds = passes.map((q) => q.strategy.condition.fast);
    this.ev = mergedEvents(events, tl.steps);
    this.nextFill = tl.steps;
    this.closes = cols.map((c) => c.close);
    const settings = x.doc.settings;
    this.bench = k.plan.assets.indexOf(settings.benchmark ?? settings.universe[0]!);
    this.tracked = new Int32Array(n + 1);
    this.trackedQty = new Float64Array(n + 1);
    this.gates = new GateSet(passes.map((q) => positionGate(k.plan, q.strategy)), n);
    this.active = new Int32Array(passes.length);
    k.only = this.active;
    this.updateGates();
  }

  /** Re-reads the gated quantities (they change only where an order fills: in a kernel step). */
  private updateGates(): void {
    this.gates.update(this.k.portfolio.qty);
  }

  /**
   * The step of the next candidate event that may fire: events of strategies whose gate is closed are passed
   * over, but only before the next fill due (nothing else can change a position before a step the walk
   * visits, and the first open event is such a step), so no event is skipped past a change of position.
   */
  private nextOpenEvent(): number {
    const ev = this.ev;
    const ei = (this.ei = ev.skipClosed(this.ei, this.nextFill, this.gates.open));
    walkRuns.gatedEvents += ev.skipped;
    return ei < ev.total ? ev.step[ei]! : this.tl.steps;
  }

  run(): void {
    const { k, n, cursor, barNow, tl, x } = this;
    const S = tl.steps, stepOf = tl.stepOf, count = tl.count, time = tl.time;
    const p = k.portfolio, mark = p.mark, rec = k.recorder;
    const closes = this.closes;
    const firstStep = this.firstStep;
    const every = x.tick ? x.tickEvery : S + 1;
    let nextTick = every;
    let nextEvent = this.nextOpenEvent();
    let s = 0;
    while (s < S) {
      // Nothing acts before the next event, fill or progress tick: record the stretch from columns.
      const quietEnd = Math.min(nextEvent, this.nextFill, nextTick, S);
      if (s < quietEnd) {
        recordQuiet(this, s, quietEnd);
        s = quietEnd;
        continue;
      }
      if (s === nextTick) {
        x.tick!(s / S);
        nextTick += every;
      }
      if (s !== nextEvent && s !== this.nextFill) {
        // A tick boundary only.
        const end = Math.min(s + 1, S);
        recordQuiet(this, s, end);
        s = end;
        continue;
      }
      let bars = 0;
      for (let a = 0; a < n; a++) {
        const nx = cursor[a]! + 1;
        if (nx < count[a]! && stepOf[a]![nx] === s) {
          cursor[a] = nx;
          mark[a] = closes[a]![nx]!;
          barNow[bars++] = a;
        }
      }
      this.bars = bars;
      const fill = s === this.nextFill;
      const event = s === nextEvent;
      const act = event ? this.decide(s, fill) : true;
      if (act) {
        this.kernelStep(s);
        this.updateGates();
      }
      // After this step's events, or a fill that may have opened or closed a gate.
      if (event || act) nextEvent = this.nextOpenEvent();
      // A kernel step records its own step.
      if (!act && s >= firstStep) {
        const e = p.equity();
        if (e > k.peak) k.peak = e;
        rec.pushMarked(time[s]!, e, p.exposed() ? 1 : 0, mark, this.bench);
      }
      s++;
    }
  }

  /** QuietState: this walk records every step for the kernel's buildResult (no folding). */
  readonly folder = null;

  /** Hands the merge buffers back for the next run (not on a throw: a cancelled run just drops them). */
  release(): void {
    releaseMerge(this.ev);
  }

  get portfolio(): Portfolio {
    return this.k.portfolio;
  }

  get recorder(): Recorder {
    return this.k.recorder;
  }

  /** QuietState: the running peak of recorded equity is the kernel's. */
  get peak(): number {
    return this.k.peak;
  }

  set peak(v: number) {
    this.k.peak = v;
  }

  /** Consumes this step's candidate events; true when one of them fires (or only a kernel step can tell). */
  private decide(s: number, fill: boolean): boolean {
    const { ev, passes, events, scratch, conds, k } = this;
    const first = this.ei;
    let ei = first;
    while (ei < ev.total && ev.step[ei] === s) ei++;
    this.ei = ei;
    if (fill) return true;
    for (let q = first; q < ei; q++) if (passes[ev.strategy[q]!]!.needsKernel) return true;
    // The state every strategy would see at this step if none acted: slots at their latest bar.
    this.catchUp();
    if (this.hasInputs) {
      if (this.calendar) {
        this.calendar.step = s;
        this.calendar.update();
      }
      k.writeInputs();
      const v = k.v;
      for (let j = 0; j < this.stepSlots.length; j++) v[this.stepSlots[j]!] = this.stepCols[j]![s]!;
    }
    for (let q = first; q < ei; q++) {
      const i = ev.strategy[q]!;
      if (this.gates.open[i] === 0) continue;
      const e = events[i]!, m = scratch[i]!, base = ev.index[q]! * 2 * e.crossings;
      for (let c = 0; c < e.crossings; c++) {
        m[4 * c + 2] = e.memory[base + 2 * c]!;
        m[4 * c + 3] = e.memory[base + 2 * c + 1]!;
      }
      if (conds[i]!(k.v, m)) return true;
    }
    return false;
  }

  private kernelStep(s: number): void {
    const { k, cursor, cols, tl } = this;
    for (let j = 0; j < this.bars; j++) {
      const a = this.barNow[j]!, c = cols[a]!, nx = cursor[a]!;
      k.setBar(a, c.open[nx]!, c.high[nx]!, c.low[nx]!, c.close[nx]!, c.volume[nx]!, nx);
      this.vAt[a] = nx;
    }
    this.catchUp();
    this.at.step = s;
    if (this.calendar) this.calendar.step = s;
    k.onlyCount = this.activeAt(s);
    k.stepIndex = s - 1;
    k.step(tl.time[s]!);
    let next = tl.steps;
    const venue = k.venue;
    for (let a = 0; a < this.n; a++) {
      if (!(venue.watches ? venue.watches(a) : venue.hasOpenOrder(a))) continue;
      const nx = cursor[a]! + 1;
      if (nx < tl.count[a]! && tl.stepOf[a]![nx]! < next) next = tl.stepOf[a]![nx]!;
    }
    this.nextFill = next;
  }

  /**
   * Fills `active` with the strategies that have a candidate event at step s and returns how many: the
   * merged events at s, in document order as the merge leaves ties (closed gates' included: a fill at this
   * step's close may open them), lie around the cursor: before it when consumed or passed over, after it
   * when not reached.
   */
  private activeAt(s: number): number {
    const ev = this.ev, active = this.active;
    // Every event before s was visited or passed over, so the cursor is at or after s's first event.
    let q = Math.min(this.ei, ev.total);
    while (q > 0 && ev.step[q - 1] === s) q--;
    let n = 0;
    for (; q < ev.total && ev.step[q] === s; q++) active[n++] = ev.strategy[q]!;
    return n;
  }

  /** Brings every asset's data slots up to its latest bar (the kernel writes them only at the asset's bars). */
  private catchUp(): void {
    const { cursor, vAt, slotsOf, colsOf } = this;
    const v = this.k.v;
    for (let a = 0; a < this.n; a++) {
      const i = cursor[a]!;
      if (i >= 0 && vAt[a] !== i) {
        const sl = slotsOf[a]!, cl = colsOf[a]!;
        for (let j = 0; j < sl.length; j++) v[sl[j]!] = cl[j]![i]!;
        vAt[a] = i;
      }
    }
  }
}
