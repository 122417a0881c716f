import type { BarColumns, CorporateActionEvent, Curves, OrderRecord, Settings, SignalEvent } from '../../schema/index.ts';
import type { Plan, PlanStrategy } from '../../strategy/index.ts';
import { SimulatedFills } from '../execution.ts';
import type { Order } from '../orders.ts';
import { Portfolio } from '../portfolio.ts';
import { acquireRecorder, Recorder } from '../recorder.ts';
import type { LogRecords, LogTables, ResultSource } from '../result.ts';
import type { Strings } from '../../lib/result-table.ts';
import { rebalanceOrder, ruleMemory, targetWeights } from '../rebalance.ts';
import { SeriesStats } from '../series-stats.ts';
import type { SlotSource } from './columns.ts';
import type { CurveSampler } from './curve-sampler.ts';
import { mergedEvents, releaseMerge, type Merged } from './merge.ts';
import { acquireOrdersLog, CANCELLED, FILLED, REJECTED, releaseOrdersLog, UNIT_CODE } from './orders-log.ts';
import { recordQuiet, type HeldFolder, type QuietState } from './quiet.ts';
import type { Events, StrategyPass } from './signals.ts';
import { SlotView } from './slot-view.ts';
import { walkRuns } from './counters.ts';
import { GateSet, positionGate } from './position-gate.ts';
import type { Timeline } from './timeline.ts';

/**
 * Why the compiled walk cannot take a run (then the kernel-assisted fast walk does), or null. It takes runs
 * whose actions are market orders (buy, sell, setWeight, closeAll, alert) and rebalances. A condition that
 * reads only data fires at every candidate event of the signal pass; one that reads the portfolio (cash,
 * equity, drawdown, positions, last fill price) is decided at each of its candidate events on the kernel's
 * slot vector (slot-view.ts). Resting entries, attached exits, time since a signal (only a kernel step
 * counts steps and signals) and audit traces are the kernel's.
 */
export function compiledUnsupported(plan: Plan, passes: readonly StrategyPass[], traces: boolean): string | null {
  if (traces) return 'signals with condition traces';
  if (plan.inputs.some((i) => i.kind === 'sinceSignal')) return 'a strategy reads the time since a signal';
  for (const q of passes) {
    const why = notMarketOnly(q.strategy.action);
    if (why !== null) return `strategy "${q.strategy.id}" ${why}`;
  }
  return plan.strategies.length === passes.length ? null : 'a strategy without a pass';
}

/**
 * Whether the compiled walk can take runs of this plan, from the plan alone (before any column or signal
 * pass): its inputs are data (prices, indicators, calendar, series), its actions market orders, and no trace
 * is kept. compiledUnsupported decides for real; this lets 'auto' send a small run the compiled walk cannot
 * take straight to the reference, without building columns it would throw away.
 */
export function compiledPlan(plan: Plan, traces: boolean): boolean {
  if (traces) return false;
  if (plan.inputs.some((i) => i.kind === 'sinceSignal')) return false;
  return plan.strategies.every((q) => notMarketOnly(q.action) === null);
}

/** What keeps an action from the compiled walk (it takes market orders and rebalances), or null. */
function notMarketOnly(a: PlanStrategy['action']): string | null {
  if ((a.type === 'buy' || a.type === 'sell') && (a.entry !== null || a.exits !== null)) return 'has an entry or exits';
  if (a.type === 'setWeight' && a.exits !== null) return 'has exits';
  return null;
}

export interface WalkInput {
  plan: Plan;
  settings: Settings;
  cols: readonly BarColumns[];
  tl: Timeline;
  events: readonly Events[];
  /** The strategies' passes and the plan's data slots: conditions that read the portfolio are decided on them. */
  passes: readonly StrategyPass[];
  data: ReadonlyMap<number, SlotSource>;
  firstStep: number;
  /** Step of the first tradable bar (buy & hold starts there), or −1. */
  tradable: number;
  keepLog: boolean;
  /** With keepLog: the orders and signals go to `tables` as columns with these strings, not to objects. */
  strings: Strings | null;
  /**
   * Equity folded into the statistics as the walk goes, through a small recorder used as a chunk buffer,
   * instead of a whole run of per-step history read back after. The day key of every step of the timeline
   * (dayColumn) comes with it. Statistics only (record 'stats'): held stretches fold whole (foldHeld), so not
   * with a drawdown operand (a folded stretch keeps no running peak). A full record sampled by bucket: with
   * `sampler`, and every step recorded.
   */
  fold?: {
    days: Float64Array;
    /**
     * A full-record run's curves, sampled from each chunk as it is folded: then held stretches are recorded
     * step by step too (no foldHeld: every step's equity reaches the sampler).
     */
    sampler?: CurveSampler;
  };
  tick?: (fraction: number) => void;
  tickEvery: number;
}

/** An Order whose fields the walk rewrites before each fill (one per run, handed to SimulatedFills). */
type Scratch = { -readonly [K in keyof Order]: Order[K] } & { record: OrderRecord };

/**
 * The walk's one order record, refilled for each fill (fill below). A class of its own, with numbers in its
 * fill fields (NaN: not filled) instead of null: V8 keeps a field that held null (or a class field declared
 * without a value, so undefined) as a tagged value and allocates a heap number at every store of a fraction
 * to it, while a field that only ever held numbers is written in place. Two such stores per fill: a second W2
 * run in Node allocated 34.4 MB with this class against 39.3 with the literal (sampled; SimulatedFills.execute
 * still allocates ~9.5 MB of it, from a source not found). An object literal would share its hidden class with
 * the kernel's records, whose null fill fields would make these tagged again.
 */
class ScratchRecord implements OrderRecord {
  id = 0;
  strategyId = '';
  symbol = '';
  side: 'buy' | 'sell' = 'buy';
  quantity = 0;
  createdTime = 0;
  status: OrderRecord['status'] = 'open';
  fillTime: number | null = NaN;
  fillPrice: number | null = NaN;
  filledQuantity = 0;
  fees = 0;
  reason: string | null = null;
}

/**
 * The fully compiled event walk (issue 17 item 3). Between events it records equity from the close columns
 * (recordQuiet); at a step where a signal fires or an order is due it does the kernel's step itself, in the
 * kernel's order — fills due at this bar (marked at its open), marks at the close, strategies' orders in
 * document order, record — on typed arrays: pending orders are rows of the orders log, fills go through
 * the shared SimulatedFills (the reference's own sizing and cost code) with one scratch order, trades land
 * in the portfolio's TradeLog. No kernel, venue, per-event object or closure.
 */
export class CompiledWalk implements QuietState, HeldFolder, ResultSource {
  readonly n: number;
  readonly cursor: Int32Array;
  readonly closes: Float64Array[];
  readonly portfolio: Portfolio;
  readonly recorder: Recorder;
  readonly bench: number;
  readonly firstStep: number;
  readonly tracked: Int32Array;
  readonly trackedQty: Float64Array;
  readonly tl: Timeline;
  readonly settings: Settings;
  peak = 0;
  tradableFrom = NaN;
  barsSeen = 0;
  stepIndex = -1;
  readonly hasActions = false;
  readonly corporate: CorporateActionEvent[] = [];
  orders: OrderRecord[] = [];
  signals: SignalEvent[] = [];
  /** With `strings`, after finish(): the orders and signals as columns. */
  tables: LogTables | null = null;
  /**
   * Without `strings`, after finish(): the result's orders and signals, made from the log on first read
   * (result.ts lazyProperty), which is kept out of the thread's pool for them.
   */
  records: LogRecords | null = null;
  private readonly sampler: CurveSampler | null;
  /** With `fold.sampler`, after finish(): the result's curves. */
  curves: Curves | null = null;
  /** With `fold`: the statistics' step series, complete after finish(). */
  readonly series: SeriesStats | null = null;
  readonly days: Float64Array | null;
  /** With `fold`: this walk, which folds held stretches (HeldFolder). */
  readonly folder: HeldFolder | null;
  // A held stretch given to foldHeld and not folded yet: steps [heldFrom, heldTo) of asset heldAsset (−1:
  // none) at heldCash and heldQty. The next stretch with the same asset, cash and quantity extends it, so a
  // position's whole span (quiet stretches and the event steps where nothing filled) folds in one call.
  // It and the recorder are never both non-empty: each is folded before the other takes a step.
  private heldAsset = -1;
  private heldFrom = 0;
  private heldTo = 0;
  private heldCash = 0;
  private heldQty = 0;

  private readonly plan: Plan;
  private readonly fills: SimulatedFills;
  private readonly log = acquireOrdersLog();
  private readonly scratch: Scratch;
  private readonly hasBar: Uint8Array;
  private readonly barNow: Int32Array;
  private readonly openCount: Int32Array;
  /** Rows of orders waiting for their asset's next bar, in submission order. */
  private pending = new Int32Array(16);
  private pendingCount = 0;
  private readonly ev: Merged;
  private readonly closeModel: boolean;
  private readonly alreadyOpen: Int32Array;
  /** Only for a plan with a condition that reads the portfolio or a rebalance by rule (a sweep's runs make none). */
  private readonly view: SlotView | null;
  private readonly ruleMems: (Float64Array[] | null)[];
  /** The strategies' position gates and whether each is open (null when no strategy is gated). */
  private readonly gates: GateSet | null;
  /** Fills so far, and at how many the gates were last read (a quantity changes only at a fill). */
  private filled = 0;
  private gatesAt = -1;

  constructor(private readonly x: WalkInput) {
    const { plan, settings, cols, tl } = x;
    const n = this.n = cols.length;
    this.plan = plan;
    this.settings = settings;
    this.tl = tl;
    this.firstStep = x.firstStep;
    this.cursor = new Int32Array(n).fill(-1);
    this.closes = cols.map((c) => c.close);
    this.portfolio = new Portfolio(plan.assets, settings.initialCash);
    this.fills = new SimulatedFills(this.portfolio, settings);
    this.recorder = x.fold ? acquireChunk() : acquireRecorder(tl.steps - x.firstStep);
    this.peak = settings.initialCash;
    this.bench = plan.assets.indexOf(settings.benchmark ?? settings.universe[0]!);
    this.tracked = new Int32Array(n + 1);
    this.trackedQty = new Float64Array(n + 1);
    this.hasBar = new Uint8Array(n);
    this.barNow = new Int32Array(n);
    this.openCount = new Int32Array(n);
    this.closeModel = settings.fillModel === 'close';
    // Each asset's "already open" reason, entered in the log when first given (a sweep candidate gives few):
    // a string built and looked up per asset per run was ~1 µs of a ~300 µs W1 candidate in a profile.
    this.alreadyOpen = new Int32Array(plan.assets.length).fill(-1);
    this.ev = mergedEvents(x.events, tl.steps);
    const room = logRoom(plan, x.events);
    this.log.reserve(room);
    // A round trip takes two orders (a reversal's one order closes one trade and opens the next): half the
    // room, which is half the memory the prime leaves touched for trades (prime.ts primeLogs). W2: 49,804
    // trades of 105,087 orders. More trades than that grow the log by doubling.
    this.portfolio.tradeLog.reserve(Math.ceil(room / 2));
    const needsView = x.passes.some((q) => !q.dataOnly) || plan.strategies.some((q) => q.action.type === 'rebalance' && q.action.rule !== null);
    this.view = needsView ? new SlotView(plan, x.passes, x.data) : null;
    const gates = plan.strategies.map((q) => positionGate(plan, q));
    this.gates = gates.some((g) => g !== null) ? new GateSet(gates, n) : null;
    this.ruleMems = plan.strategies.map((q) => (q.action.type === 'rebalance' && q.action.rule ? ruleMemory(q.action.rule) : null));
    this.scratch = {
      asset: 0, kind: 'delta', side: 1, unit: 'all', value: 0, weight: 0, entry: null, exits: null, exitReason: null,
      record: new ScratchRecord(),
    };
    if (x.tradable >= 0) this.tradableFrom = tl.time[x.tradable]!;
    // As buildResult reads it: a run whose indicators never got a value has no tradable bar (Infinity).
    this.days = x.fold ? x.fold.days : null;
    this.sampler = x.fold?.sampler ?? null;
    this.folder = x.fold && !this.sampler ? this : null;
    if (x.fold) this.series = new SeriesStats(true, Number.isNaN(this.tradableFrom) ? Infinity : this.tradableFrom, () => NaN);
  }

  /** Steps recorded so far (those folded into the statistics and those still in the recorder). */
  get recordedSteps(): number {
    return (this.series?.count ?? 0) + this.recorder.length + (this.heldAsset >= 0 ? this.heldTo - this.heldFrom : 0);
  }

  /**
   * recordQuiet, in pieces that fit the recorder when it is a chunk buffer. A full chunk is folded before
   * more is written, never right after, so the last step stays in the recorder until finish() (closeAtEnd
   * rewrites its equity there, as the kernel does).
   */
  private quiet(from: number, to: number): void {
    if (this.series === null) {
      recordQuiet(this, from, to);
      return;
    }
    const rec = this.recorder, cap = rec.time.length;
    for (let s = from; s < to;) {
      if (rec.length === cap) this.foldRecorder();
      const end = Math.min(to, s + cap - rec.length);
      recordQuiet(this, s, end);
      s = end;
    }
  }

  foldHeld(a: number, cash: number, qty: number, from: number, to: number): void {
    if (a === this.heldAsset && from === this.heldTo && cash === this.heldCash && qty === this.heldQty) {
      this.heldTo = to;
      return;
    }
    this.flushHeld();
    this.foldRecorder();
    this.heldAsset = a;
    this.heldFrom = from;
    this.heldTo = to;
    this.heldCash = cash;
    this.heldQty = qty;
  }

  flushHeld(): void {
    const a = this.heldAsset;
    if (a < 0) return;
    this.heldAsset = -1;
    const cl = this.closes[a]!;
    this.series!.addMarked(this.tl.time, cl, this.heldCash, this.heldQty, 1, this.bench === a ? cl : null, this.days!, this.heldFrom, this.heldTo);
  }

  /** The recorder's steps into the statistics, in order; the recorder starts over. */
  foldRecorder(): void {
    // Every step from firstStep on is recorded once, in order: the recorder's first entry is the step after
    // the folded ones.
    const rec = this.recorder, at = this.firstStep + this.series!.count;
    if (rec.length === 0) return;
    this.sampler?.add(rec, at);
    this.series!.add(rec.time, rec.equity, rec.exposed, rec.benchmark, this.days!, rec.length, at);
    rec.length = 0;
  }

  run(): void {
    const { tl, x } = this;
    const S = tl.steps;
    const ev = this.ev;
    const every = x.tick ? x.tickEvery : S + 1;
    let nextTick = every;
    let nextFill = S;
    // ei indexes the merge's window (merge.ts); passClosed moves to the next window when this one is read.
    let ei = this.passClosed(0, nextFill);
    let evStep = ev.step, evTotal = ev.total;
    let nextEvent = ei < evTotal ? evStep[ei]! : S;
    let s = 0;
    while (s < S) {
      const quietEnd = Math.min(nextEvent, nextFill, nextTick, S);
      if (s < quietEnd) {
        this.quiet(s, quietEnd);
        s = quietEnd;
        continue;
      }
      if (s === nextTick) {
        x.tick!(s / S);
        nextTick += every;
      }
      if (s !== nextEvent && s !== nextFill) {
        this.quiet(s, s + 1);
        s++;
        continue;
      }
      this.bars(s);
      if (s === nextFill) this.fillDue(s);
      this.atClose();
      const view = this.view;
      while (ei < evTotal && evStep[ei] === s) {
        const i = ev.strategy[ei]!, q = ev.index[ei++]!;
        // A gate-only strategy's event is decided by its gate on the quantity now, as its condition would be
        // (StrategyPass.gateOnly).
        const fires = view === null || !view.decides(i) || (x.passes[i]!.gateOnly ? this.gates!.holds(i, this.portfolio.qty) : view.fires(i, x.events[i]!, q, s, this.cursor, this.portfolio, this.peak, this.plan.strategies[i]!.condition.fast));
        if (fires) this.act(i, s);
      }
      if (s >= this.firstStep) this.record(s);
      for (let j = 0; j < this.barCount; j++) this.hasBar[this.barNow[j]!] = 0;
      nextFill = this.nextFill();
      ei = this.passClosed(ei, nextFill);
      evStep = ev.step;
      evTotal = ev.total;
      nextEvent = ei < evTotal ? evStep[ei]! : S;
      s++;
    }
  }

  /**
   * Passes over the candidate events of strategies whose position gate (position-gate.ts) is closed, from
   * `from` up to the first open one and never to the next fill due (`limit`): a quantity changes only where
   * an order fills, and orders are made only at steps the walk visits, so no gate opens before either.
   * An event passed over cannot fire; its crossing memory is the signal pass's, so nothing is lost.
   */
  private passClosed(from: number, limit: number): number {
    const ev = this.ev;
    if (this.gates === null) return from === ev.total && ev.next() ? 0 : from;
    if (this.filled !== this.gatesAt) this.updateGates();
    const ei = ev.skipClosed(from, limit, this.gates.open);
    walkRuns.compiledGatedEvents += ev.skipped;
    return ei;
  }

  private updateGates(): void {
    this.gates!.update(this.portfolio.qty);
    this.gatesAt = this.filled;
  }

  /** After run(): end of data (open orders cancelled), closeAtEnd, and the log as the result's columns (tables) or kept for it (records). */
  finish(): void {
    const { log, tl } = this;
    releaseMerge(this.ev);
    const cancelled = log.reasonOf('no bar for its asset before the end of the data');
    for (let i = 0; i < this.pendingCount; i++) {
      const r = this.pending[i]!;
      log.status[r] = CANCELLED;
      log.reason[r] = cancelled;
    }
    this.pendingCount = 0;
    this.stepIndex = tl.steps - 1;
    this.barsSeen = tl.bars;
    if (this.settings.closeAtEnd) this.closeAtEnd(tl.time[tl.steps - 1]!);
    if (this.series !== null) {
      this.flushHeld();
      this.foldRecorder();
      this.series.close();
      releaseChunk(this.recorder);
      if (this.sampler) this.curves = this.sampler.finish(this.settings.initialCash);
    }
    if (this.x.keepLog && this.x.strings !== null) {
      this.tables = { strings: this.x.strings, ...log.toTables(this.plan.strategies, this.plan.assets, this.x.strings) };
    } else if (this.x.keepLog) {
      const { strategies, assets } = this.plan, ids = strategies.map((q) => q.id);
      this.records = { orders: () => log.toRecords(ids, assets), signals: () => log.toSignals(strategies, assets) };
      return;
    }
    releaseOrdersLog(log);
  }

  private barCount = 0;

  /**
   * The assets with a bar at step s. Their marks move to the open in fillDue (openMarks), the only reader
   * before atClose moves them to the close: most visited steps fill nothing, and reading every asset's open
   * there was a cache miss per asset per event (~50 ms of W2's walk in Node).
   */
  private bars(s: number): void {
    const { n, cursor, tl, hasBar, barNow } = this;
    const dense = tl.dense;
    let k = 0;
    for (let a = 0; a < n; a++) {
      const nx = cursor[a]! + 1;
      // A bar at every step: bar nx is step nx.
      if (nx < tl.count[a]! && (dense[a] ? nx === s : tl.stepOf[a]![nx] === s)) {
        cursor[a] = nx;
        hasBar[a] = 1;
        barNow[k++] = a;
      }
    }
    this.barCount = k;
  }

  /**
   * The marks at the open, as the kernel holds them while orders fill, of the assets with a bar now that a
   * fill can read: held ones (equity and buying power sum quantity × mark over held assets only) and those
   * with an order pending (its fill makes them held). The others keep their last close until atClose, and
   * nothing reads them before: their open was a cache miss per asset per fill step (44 ms of W2's first run
   * in Node, 88 % of fillDue's own time).
   */
  private openMarks(): void {
    const mark = this.portfolio.mark, qty = this.portfolio.qty, pendingFor = this.openCount, cols = this.x.cols, cursor = this.cursor;
    for (let j = 0; j < this.barCount; j++) {
      const a = this.barNow[j]!;
      if (qty[a] !== 0 || pendingFor[a]! > 0) mark[a] = cols[a]!.open[cursor[a]!]!;
    }
  }

  private atClose(): void {
    const mark = this.portfolio.mark, closes = this.closes, cursor = this.cursor;
    for (let j = 0; j < this.barCount; j++) {
      const a = this.barNow[j]!;
      mark[a] = closes[a]![cursor[a]!]!;
    }
  }

  /** The venue's fillDue for market orders: each pending order whose asset has a bar now, in submission order. */
  private fillDue(s: number): void {
    this.openMarks();
    const { pending, hasBar, log, cursor } = this;
    const t = this.tl.time[s]!;
    let keep = 0;
    for (let i = 0; i < this.pendingCount; i++) {
      const r = pending[i]!;
      const a = log.asset[r]!;
      if (hasBar[a]) {
        const c = this.x.cols[a]!;
        this.fill(r, this.closeModel ? c.close[cursor[a]!]! : c.open[cursor[a]!]!, t);
        this.openCount[a]!--;
      } else pending[keep++] = r;
    }
    this.pendingCount = keep;
  }

  private alreadyOpenReason(asset: number): number {
    let k = this.alreadyOpen[asset]!;
    if (k < 0) this.alreadyOpen[asset] = k = this.log.reasonOf(`an order for ${this.plan.assets[asset]!} is already open`);
    return k;
  }

  /** Strategy i fires at step s: its orders, created first and then submitted one by one, as Kernel.act. */
  private act(i: number, s: number): void {
    const log = this.log, t = this.tl.time[s]!;
    const a = this.plan.strategies[i]!.action;
    const first = log.length;
    let weights: { asset: number; weight: number }[] | null = null;
    switch (a.type) {
      case 'buy': case 'sell':
        log.add(i, a.asset, 0, a.type === 'buy' ? 1 : -1, UNIT_CODE[a.unit], a.value, 0, t);
        break;
      case 'setWeight':
        log.add(i, a.asset, 1, a.weight >= 0 ? 1 : -1, UNIT_CODE.all, 0, a.weight, t);
        break;
      case 'closeAll': {
        const q = this.portfolio.qty;
        for (let k = 0; k < q.length; k++) if (q[k] !== 0) log.add(i, k, 1, q[k]! > 0 ? -1 : 1, UNIT_CODE.all, 0, 0, t);
        break;
      }
      case 'rebalance': {
        // As Kernel.act: targets on the slots as they stand, then every order created before any is submitted.
        // Fixed weights read no slot.
        weights = targetWeights(a, a.rule ? this.view!.at(s, this.cursor, this.portfolio, this.peak) : NO_SLOTS, this.ruleMems[i] ?? []);
        for (const w of rebalanceOrder(weights, this.portfolio)) log.add(i, w.asset, 1, w.weight >= 0 ? 1 : -1, UNIT_CODE.all, 0, w.weight, t);
        break;
      }
      default: break; // alert: a signal, no order
    }
    for (let r = first; r < log.length; r++) {
      const asset = log.asset[r]!;
      if (this.openCount[asset]! > 0) {
        log.status[r] = REJECTED;
        log.reason[r] = this.alreadyOpenReason(asset);
      } else if (this.closeModel && this.hasBar[asset]) {
        this.fill(r, this.closes[asset]![this.cursor[asset]!]!, t);
      } else {
        if (this.pendingCount === this.pending.length) {
          const p = new Int32Array(this.pending.length * 2); p.set(this.pending); this.pending = p;
        }
        this.pending[this.pendingCount++] = r;
        this.openCount[asset]!++;
      }
    }
    if (this.x.keepLog) log.signal(t, i, first, log.length - first, weights);
  }

  /** Fills order row r at raw price `price` through SimulatedFills (the reference's sizing and costs). */
  private fill(r: number, price: number, time: number, exitReason: 'end' | null = null): void {
    const log = this.log, o = this.scratch, rec = o.record;
    const a = log.asset[r]!;
    o.asset = a;
    o.kind = log.kind[r] === 0 ? 'delta' : 'target';
    o.side = log.sideIn[r] === 1 ? 1 : -1;
    o.unit = log.unitOf(r);
    o.value = log.value[r]!;
    o.weight = log.weight[r]!;
    o.exitReason = exitReason;
    rec.strategyId = exitReason === null ? this.plan.strategies[log.strategy[r]!]!.id : this.portfolio.openStrategy[a]!;
    rec.symbol = this.plan.assets[a]!;
    rec.side = o.side === 1 ? 'buy' : 'sell';
    rec.quantity = 0;
    rec.status = 'open';
    rec.fillTime = NaN;
    rec.fillPrice = NaN;
    rec.filledQuantity = 0;
    rec.fees = 0;
    rec.reason = null;
    this.fills.execute(o, price, time);
    this.filled++;
    const filled = (rec.status as string) === 'filled';
    log.status[r] = filled ? FILLED : REJECTED;
    log.side[r] = rec.side === 'buy' ? 0 : 1;
    log.quantity[r] = rec.quantity;
    log.filledQuantity[r] = rec.filledQuantity;
    log.fees[r] = rec.fees;
    log.fillTime[r] = rec.fillTime ?? NaN;
    log.fillPrice[r] = rec.fillPrice ?? NaN;
    log.reason[r] = log.reasonOf(rec.reason);
    // As Kernel.execute: a filled asset never marked yet takes the fill price.
    if (filled && Number.isNaN(this.portfolio.mark[a]!)) this.portfolio.mark[a] = price;
  }

  private record(s: number): void {
    const p = this.portfolio;
    const e = p.equity();
    if (e > this.peak) this.peak = e;
    if (this.series !== null) {
      // One held asset marked at this step's close: the step extends (or starts) a held stretch, with the
      // equity Portfolio.equity gives (cash + qty × mark). Not the last step, which closeAtEnd may rewrite.
      const a = this.folder !== null && p.exposed() ? this.heldOne() : -1;
      if (a >= 0 && this.tl.dense[a] && (this.bench === a || this.bench < 0) && p.mark[a] === this.closes[a]![s] && s < this.tl.steps - 1) {
        this.foldHeld(a, p.cash, p.qty[a]!, s, s + 1);
        return;
      }
      this.flushHeld();
      if (this.recorder.length === this.recorder.time.length) this.foldRecorder();
    }
    this.recorder.pushMarked(this.tl.time[s]!, e, p.exposed() ? 1 : 0, p.mark, this.bench);
  }

  /** The asset of the one open position, or −1 when several are open. */
  private heldOne(): number {
    const q = this.portfolio.qty;
    let one = -1;
    for (let a = 0; a < q.length; a++) {
      if (q[a] === 0) continue;
      if (one >= 0) return -1;
      one = a;
    }
    return one;
  }

  /** The next step at which a pending order's asset has a bar. */
  private nextFill(): number {
    const { tl, log, cursor } = this;
    let next = tl.steps;
    for (let i = 0; i < this.pendingCount; i++) {
      const a = log.asset[this.pending[i]!]!;
      const nx = cursor[a]! + 1;
      if (nx >= tl.count[a]!) continue;
      // A bar at every step: bar nx is step nx (no read of the step column, often a cache miss).
      const step = tl.dense[a] ? nx : tl.stepOf[a]![nx]!;
      if (step < next) next = step;
    }
    return next;
  }

  /** Kernel.closeAtEnd: each open position closed at its last mark (reason "end"); the last equity point pays. */
  private closeAtEnd(t: number): void {
    const p = this.portfolio, log = this.log;
    let closed = false;
    for (let a = 0; a < p.qty.length; a++) {
      if (p.qty[a] === 0 || !Number.isFinite(p.mark[a]!)) continue;
      const r = log.add(Math.max(0, this.plan.strategies.findIndex((q) => q.id === p.openStrategy[a])), a, 1, p.qty[a]! > 0 ? -1 : 1, UNIT_CODE.all, 0, 0, t);
      log.atEnd[r] = 1;
      this.fill(r, p.mark[a]!, t, 'end');
      closed = true;
    }
    const rec = this.recorder;
    if (closed && rec.length > 0) rec.equity[rec.length - 1] = p.equity();
  }
}

const NO_SLOTS = new Float64Array(0);

/**
 * Steps per chunk of a folding walk's recorder: its four arrays (~100 KB) stay in cache between the walk
 * writing them and the statistics reading them. One chunk is kept for the next run (runs on a thread are
 * sequential; a second concurrent run just makes its own).
 */
const CHUNK = 4096;
let spareChunk: Recorder | null = null;

function acquireChunk(): Recorder {
  const r = spareChunk ?? new Recorder(CHUNK);
  spareChunk = null;
  r.length = 0;
  return r;
}

function releaseChunk(r: Recorder): void {
  spareChunk = r;
}

/**
 * Rows the walk's logs reserve before it starts (OrdersLog.reserve, TradeLog.reserve; at most MAX_ROOM):
 * every candidate event firing, with the orders its action makes (a rebalance or close-all one per asset, an
 * entry with exits two), and a closing order per asset at the end. More than a run logs when position gates or
 * conditions on the portfolio keep events from firing (W2: ~693k, capped to 131,072, for 105k orders and 50k
 * trades); room a run does not use is never touched. W2's first run in a fresh Node process, 8 alternating
 * pairs: ~9,600 page faults against ~13,000 doubling from 512 and 256 rows, p25 0.677 s against 0.702; after
 * W1's runs (the bench's order), 2,328 against 2,142 faults, median 0.633 s against 0.641.
 */
export function logRoom(plan: Plan, events: readonly Events[]): number {
  const n = plan.assets.length;
  let rows = n;
  for (let i = 0; i < events.length; i++) {
    const a = plan.strategies[i]!.action;
    const per = a.type === 'rebalance' || a.type === 'closeAll' ? n : (a.type === 'buy' || a.type === 'sell' || a.type === 'setWeight') && a.exits !== null ? 2 : 1;
    rows += events[i]!.count * per;
  }
  return rows;
}
