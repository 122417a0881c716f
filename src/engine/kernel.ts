import { createIndicator, type Indicator } from '../indicators/index.ts';
import { Zone } from '../lib/zone.ts';
import { exchangeZone, type CorporateAction, type CorporateActionEvent, type ExitReason, type OrderRecord, type OrderType, type Settings, type SignalEvent, type StepSeries, type TraceNode } from '../schema/index.ts';
import { TracedEvaluator, type CompiledAction, type CompiledEntry, type CompiledExits, type Plan, type PlanStrategy } from '../strategy/index.ts';
import { CalendarState, SESSION_DATED } from './calendar.ts';
import { actionsByAsset, exStart } from './corporate.ts';
import { SimulatedFills } from './execution.ts';
import { newRecord, reject, resolveOrder, type Order } from './orders.ts';
import { Portfolio } from './portfolio.ts';
import { acquireRecorder, type Recorder } from './recorder.ts';
import { writePortfolioInput } from './portfolio-inputs.ts';
import { rebalanceOrder, ruleMemory, targetWeights } from './rebalance.ts';
import { SignalSizer } from './sizing.ts';
import type { StepView, Venue } from './venue.ts';

const FIELD_INDEX = { open: 0, high: 1, low: 2, close: 3, volume: 4 } as const;

/** Why a strategy did or did not act at one time. */
export interface Explanation {
  time: number;
  strategyId: string;
  evaluated: boolean;
  fired: boolean;
  trace: TraceNode | null;
  reason: string;
}

export interface KernelOptions {
  plan: Plan;
  settings: Settings;
  venue: (assets: number) => Venue;
  series?: readonly StepSeries[];
  /** Steps before this time feed indicators and crossings but never trade or record (warm-up). */
  fromTime?: number;
  /** Record the condition trace of every signal (off for optimization sweeps). */
  audit?: boolean;
  /** 'stats': keep only what statistics need (trades, equity) — no signal or order log (optimization sweeps). */
  record?: 'full' | 'stats';
  /** Expected number of steps, to size the recorder once. */
  capacity?: number;
  /**
   * Per plan indicator, its output columns precomputed over the asset's bars (IndicatorCache), or null to
   * stream it. Precomputed columns are read at the bar index the processor passes to setBar.
   */
  precomputed?: readonly (readonly Float64Array[] | null)[];
  /**
   * 'fill' (default): an order is sized when it fills, at the fill price. 'signal': its quantity is fixed
   * at the signal bar's close before it reaches the venue — the rule live trading must use (sizing.ts).
   */
  sizing?: 'fill' | 'signal';
  /** The calendar state conditions read; the fast path injects one fed from per-step columns. */
  calendar?: CalendarState;
  /**
   * Corporate actions to apply as events (settings.prices "raw"; corporate.ts). Each applies at its asset's
   * first bar on or after the ex-date, before that bar's fills; actions at or before an asset's first bar
   * are skipped (no position can be open yet).
   */
  actions?: readonly CorporateAction[];
}

/**
 * The one kernel behind every processor. A processor sets the bars of a timestamp (setBar) and calls
 * step(t); the kernel runs DESIGN.md's order: fills due now → indicators → mark to market → strategies in
 * document order → orders to the venue → record. It never reads a clock or does I/O.
 */
export class Kernel implements StepView {
  readonly plan: Plan;
  readonly settings: Settings;
  readonly portfolio: Portfolio;
  readonly recorder: Recorder;
  readonly venue: Venue;
  readonly orders: OrderRecord[] = [];
  readonly signals: SignalEvent[] = [];
  /** Corporate actions applied (raw prices), for the audit. */
  readonly corporate: CorporateActionEvent[] = [];
  /** True when the run was given actions for its assets (then the result lists them). */
  readonly hasActions: boolean;
  private readonly actionLists: CorporateAction[][];
  private readonly actionStart: Float64Array[];
  private readonly actionCursor: Int32Array;

  time = NaN;
  stepIndex = -1;
  readonly hasBar: Uint8Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** StepView: the portfolio's signed positions. */
  readonly qty: Float64Array;
  private readonly barAssets: Int32Array;
  private readonly barIndex: Int32Array;
  private barCount = 0;
  private readonly precomputed: readonly (readonly Float64Array[] | null)[];
  /** Per indicator: 0 stream from close, 1 open, 2 high, 3 low, 4 volume, 5 return; 6 precomputed. */
  private readonly sourceCode: Uint8Array;
  barsSeen = 0;

  /** Every number conditions read (see Plan). */
  readonly v: Float64Array;
  private readonly mems: Float64Array[];
  private readonly indicators: Indicator[];
  /** Per asset: indices into `indicators`. */
  private readonly byAsset: Int32Array[];
  private readonly outputSlots: Int32Array[];
  private readonly outputFields: string[][];
  /** 1 where an indicator's only output is its primary value (the common case, decided once, not per bar). */
  private readonly onlyValue: Uint8Array;
  private readonly priceSlots: Int32Array;
  private readonly prevClose: Float64Array;
  private readonly triggers: (Uint8Array | null)[];
  private readonly lastSignalStep: Float64Array;
  private readonly lastSignalTime: Float64Array;
  private readonly fills: SimulatedFills;
  private readonly calendar: CalendarState | null;
  private readonly seriesFor: (StepSeries | null)[];
  private readonly seriesCursor: Int32Array;
  private readonly fromTime: number;
  /** Inputs other than prices exist (portfolio, calendar, series…): only then are they written each step. */
  private readonly hasInputs: boolean;
  private readonly audit: boolean;
  private readonly keepLog: boolean;
  private readonly benchmark: number;
  /** Running peak of recorded equity (the drawdown input); the fast path advances it between events. */
  peak = 0;
  private nextOrderId = 1;
  private readonly ruleMems: Map<object, Float64Array[]> = new Map();
  private readonly sizer: SignalSizer | null;
  /** Time of the first tradable bar (see checkTradable); NaN while an indicator has no value yet. */
  tradableFrom = NaN;
  /** When set, the next steps record why each strategy did or did not act (explain). */
  explanations: Explanation[] | null = null;
  /**
   * Set by the fast path's kernel-assisted walk before each step: the strategies (in document order) that have a
   * candidate event at it; every other strategy's gated condition is false there, so without explanations
   * to record the step evaluates only these. Null: every strategy (the reference).
   */
  only: Int32Array | null = null;
  onlyCount = 0;

  constructor(o: KernelOptions) {
    const { plan, settings } = o;
    const n = plan.assets.length;
    this.plan = plan;
    this.settings = settings;
    this.fromTime = o.fromTime ?? -Infinity;
    this.audit = o.audit ?? true;
    this.keepLog = (o.record ?? 'full') === 'full';
    this.portfolio = new Portfolio(plan.assets, settings.initialCash);
    this.venue = o.venue(n);
    this.fills = new SimulatedFills(this.portfolio, settings);
    this.qty = this.portfolio.qty;
    this.recorder = acquireRecorder(o.capacity ?? 1024);
    this.peak = settings.initialCash;
    this.benchmark = plan.assets.indexOf(settings.benchmark ?? settings.universe[0]!);

    this.hasBar = new Uint8Array(n);
    this.open = new Float64Array(n);
    this.high = new Float64Array(n);
    this.low = new Float64Array(n);
    this.close = new Float64Array(n);
    this.volume = new Float64Array(n);
    this.barAssets = new Int32Array(n);
    this.barIndex = new Int32Array(n).fill(-1);
    this.precomputed = o.precomputed ?? plan.indicators.map(() => null);
    const SOURCE_CODE = { close: 0, open: 1, high: 2, low: 3, volume: 4, return: 5 } as const;
    this.sourceCode = Uint8Array.from(plan.indicators, (pi, k) => (this.precomputed[k] ? 6 : SOURCE_CODE[pi.source]));
    this.prevClose = new Float64Array(n).fill(NaN);

    this.v = new Float64Array(plan.slotCount).fill(NaN);
    this.mems = plan.strategies.map((s) => new Float64Array(s.condition.memSize).fill(NaN));
    this.indicators = plan.indicators.map((pi) => createIndicator(pi.spec));
    const lists: number[][] = Array.from({ length: n }, () => []);
    plan.indicators.forEach((pi, k) => lists[pi.asset]!.push(k));
    this.byAsset = lists.map((l) => Int32Array.from(l));
    this.outputSlots = plan.indicators.map((pi) => Int32Array.from(pi.outputs.map((x) => x.slot)));
    this.outputFields = plan.indicators.map((pi) => pi.outputs.map((x) => x.field));
    this.onlyValue = Uint8Array.from(plan.indicators, (pi) => (pi.outputs.length === 1 && pi.outputs[0]!.field === 'value' ? 1 : 0));
    this.priceSlots = new Int32Array(n * 5).fill(-1);
    for (const input of plan.inputs) if (input.kind === 'price') this.priceSlots[input.asset * 5 + FIELD_INDEX[input.field]] = input.slot;
    this.triggers = plan.strategies.map((s) => {
      if (s.triggers.length === 0) return null;
      const mask = new Uint8Array(n);
      for (const a of s.triggers) mask[a] = 1;
      return mask;
    });
    this.lastSignalStep = new Float64Array(plan.strategies.length).fill(NaN);
    this.lastSignalTime = new Float64Array(plan.strategies.length).fill(NaN);
    this.calendar = plan.inputs.some((i) => i.kind === 'calendar') ? (o.calendar ?? new CalendarState(exchangeZone(settings), settings.timeframe)) : null;

    const series = o.series ?? [];
    this.seriesFor = plan.inputs.map((input) => {
      if (input.kind !== 'series') return null;
      const symbol = input.asset < 0 ? null : plan.assets[input.asset]!;
      const s = series.find((x) => x.name === input.name && x.symbol === symbol);
      if (!s) throw new RangeError(`series "${input.name}"${symbol ? ` for ${symbol}` : ' (global)'} is not loaded`);
      return s;
    });
    this.seriesCursor = new Int32Array(plan.inputs.length).fill(-1);
    this.hasInputs = plan.inputs.some((i) => i.kind !== 'price');
    this.sizer = o.sizing === 'signal' ? new SignalSizer(settings) : null;
    this.actionLists = actionsByAsset(o.actions, plan.assets);
    this.hasActions = this.actionLists.some((l) => l.length > 0);
    const zone = this.hasActions && !SESSION_DATED.has(settings.timeframe) ? new Zone(exchangeZone(settings)) : undefined;
    this.actionStart = this.actionLists.map((l) => Float64Array.from(l, (a) => exStart(a.exDate, settings, zone)));
    this.actionCursor = new Int32Array(n);
  }

  /** Processor: this asset has a bar at the coming step (its `index` in the asset's columns, or −1 for a live bar). */
  setBar(asset: number, open: number, high: number, low: number, close: number, volume: number, index = -1): void {
    if (this.hasBar[asset]) throw new RangeError(`two bars for ${this.plan.assets[asset]} at one time`);
    this.hasBar[asset] = 1;
    this.barIndex[asset] = index;
    this.barAssets[this.barCount++] = asset;
    this.open[asset] = open;
    this.high[asset] = high;
    this.low[asset] = low;
    this.close[asset] = close;
    this.volume[asset] = volume;
  }

  step(t: number): void {
    if (t <= this.time) throw new RangeError(`time went backwards or repeated: ${t} after ${this.time}`);
    this.time = t;
    this.stepIndex++;
    this.barsSeen += this.barCount;
    const p = this.portfolio;
    const trading = t >= this.fromTime;
    const bars = this.barAssets;
    const count = this.barCount;

    // 0. Corporate actions whose ex-date has begun, before anything fills at this bar (raw prices only).
    if (this.hasActions) for (let i = 0; i < count; i++) this.applyActions(bars[i]!, t, trading);

    // 1. Fills due now, sized with positions marked at this bar's open.
    for (let i = 0; i < count; i++) p.mark[bars[i]!] = this.open[bars[i]!]!;
    this.venue.fillDue(this);

    // 2. Indicators take the new bars.
    const v = this.v;
    for (let i = 0; i < count; i++) {
      const a = bars[i]!;
      const o = this.open[a]!, h = this.high[a]!, l = this.low[a]!, c = this.close[a]!, vol = this.volume[a]!;
      const ps = a * 5;
      let s = this.priceSlots[ps]!; if (s >= 0) v[s] = o;
      s = this.priceSlots[ps + 1]!; if (s >= 0) v[s] = h;
      s = this.priceSlots[ps + 2]!; if (s >= 0) v[s] = l;
      s = this.priceSlots[ps + 3]!; if (s >= 0) v[s] = c;
      s = this.priceSlots[ps + 4]!; if (s >= 0) v[s] = vol;
      const list = this.byAsset[a]!;
      for (let j = 0; j < list.length; j++) {
        const k = list[j]!;
        const slots = this.outputSlots[k]!;
        const code = this.sourceCode[k]!;
        if (code === 6) {
          const cols = this.precomputed[k]!;
          const idx = this.barIndex[a]!;
          for (let m = 0; m < slots.length; m++) v[slots[m]!] = cols[m]![idx]!;
          continue;
        }
        let x: number;
        if (code === 5) {
          const prev = this.prevClose[a]!;
          if (!(prev > 0)) continue;
          x = c / prev - 1;
        } else {
          x = code === 0 ? c : code === 1 ? o : code === 2 ? h : code === 3 ? l : vol;
        }
        const ind = this.indicators[k]!;
        const out = ind.update(t, x, h, l);
        if (this.onlyValue[k]) {
          v[slots[0]!] = out;
          continue;
        }
        const fields = this.outputFields[k]!;
        for (let m = 0; m < slots.length; m++) v[slots[m]!] = fields[m] === 'value' ? out : (ind as unknown as Record<string, number>)[fields[m]!]!;
      }
      this.prevClose[a] = c;
    }

    // 3. Mark to market at the close.
    for (let i = 0; i < count; i++) p.mark[bars[i]!] = this.close[bars[i]!]!;

    // 4–5. Strategies in document order; their orders go to the venue.
    this.calendar?.update(t);
    if (this.hasInputs) this.writeInputs();
    const strategies = this.plan.strategies;
    const only = this.explanations === null ? this.only : null;
    const evaluated = only === null ? strategies.length : this.onlyCount;
    for (let k = 0; k < evaluated; k++) {
      const si = only === null ? k : only[k]!;
      const trig = this.triggers[si]!;
      const s = strategies[si]!;
      if (trig !== null && !this.anyBar(trig)) {
        this.explanations?.push({ time: t, strategyId: s.id, evaluated: false, fired: false, trace: null, reason: 'not evaluated: none of its assets has a new bar at this time' });
        continue;
      }
      const fired = s.condition.fast(v, this.mems[si]!);
      if (this.explanations) this.explain(s, fired, trading);
      if (fired && trading) {
        this.act(s);
        if (this.hasInputs) this.writeInputs();
      }
    }

    // 6. Record.
    if (trading) {
      if (this.tradableFrom !== this.tradableFrom) this.checkTradable(t);
      const e = p.equity();
      if (e > this.peak) this.peak = e;
      this.recorder.pushMarked(t, e, p.exposed() ? 1 : 0, p.mark, this.benchmark);
    }
    for (let i = 0; i < count; i++) this.hasBar[bars[i]!] = 0;
    this.barCount = 0;
  }

  /**
   * Actions of asset a due at its bar at t. At the asset's first bar (no previous close) every action up to
   * t is skipped: nothing can be held or ordered yet, and the bar is already after them.
   */
  private applyActions(a: number, t: number, trading: boolean): void {
    const starts = this.actionStart[a]!;
    let c = this.actionCursor[a]!;
    if (c >= starts.length || starts[c]! > t) return;
    const first = Number.isNaN(this.prevClose[a]!);
    const p = this.portfolio;
    for (; c < starts.length && starts[c]! <= t; c++) {
      if (first) continue;
      const x = this.actionLists[a]![c]!;
      const quantityBefore = p.qty[a]!, avgPriceBefore = p.avgPrice[a]!;
      let cash = 0, ordersAdjusted = 0;
      if (x.type === 'split') {
        cash = p.split(a, x.value, this.settings.units === 'whole', t);
        ordersAdjusted = this.venue.split?.(a, x.value) ?? 0;
      } else {
        cash = p.dividend(a, x.value);
      }
      if (this.keepLog && trading) {
        this.corporate.push({
          time: t, symbol: x.symbol, type: x.type, value: x.value, exDate: x.exDate,
          quantityBefore, quantityAfter: p.qty[a]!, avgPriceBefore, avgPriceAfter: p.avgPrice[a]!, cash, ordersAdjusted,
        });
      }
    }
    this.actionCursor[a] = c;
  }

  /**
   * The first tradable bar: the first recorded step at which every output of every indicator has a value
   * (backtesting.py's warm-up: the largest index of a first defined indicator value). Buy & hold starts
   * here. Checked only until found, so it costs one comparison per step afterwards.
   */
  private checkTradable(t: number): void {
    const slots = this.outputSlots;
    for (let k = 0; k < slots.length; k++) {
      const out = slots[k]!;
      for (let m = 0; m < out.length; m++) if (Number.isNaN(this.v[out[m]!]!)) return;
    }
    this.tradableFrom = t;
  }

  /** StepView: the venue fills through here. */
  execute(order: Order, price: number): void {
    this.fills.execute(order, price, this.time);
    if (order.record.status === 'filled') {
      // Marking the filled asset keeps equity consistent for the next order in this step.
      if (Number.isNaN(this.portfolio.mark[order.asset]!)) this.portfolio.mark[order.asset] = price;
    }
  }

  private explain(s: PlanStrategy, fired: boolean, trading: boolean): void {
    const trace = new TracedEvaluator(this.plan, s.condition, this.mems[s.index]!).evaluate(this.v);
    const reason = !trading ? 'warm-up: before the start of the range, signals are not traded'
      : fired ? `condition true: ${s.action.type} fired`
      : 'condition false';
    this.explanations!.push({ time: this.time, strategyId: s.id, evaluated: true, fired: fired && trading, trace, reason });
  }

  private anyBar(mask: Uint8Array): boolean {
    const bars = this.barAssets;
    for (let i = 0; i < this.barCount; i++) if (mask[bars[i]!]) return true;
    return false;
  }

  /** Writes the portfolio, calendar and series inputs into their slots (public for the fast walk's pre-check). */
  writeInputs(): void {
    const v = this.v;
    const p = this.portfolio;
    const inputs = this.plan.inputs;
    let equity = NaN;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      switch (input.kind) {
        case 'sinceSignal': {
          const last = this.lastSignalStep[input.strategy]!;
          v[input.slot] = Number.isNaN(last) ? Infinity
            : input.unit === 'bars' ? this.stepIndex - last : (this.time - this.lastSignalTime[input.strategy]!) / 86_400_000;
          break;
        }
        case 'series': {
          const s = this.seriesFor[i]!;
          let c = this.seriesCursor[i]!;
          while (c + 1 < s.length && s.time[c + 1]! <= this.time) c++;
          this.seriesCursor[i] = c;
          v[input.slot] = c >= 0 ? s.value[c]! : NaN;
          break;
        }
        case 'calendar': v[input.slot] = this.calendar![input.field]; break;
        default: equity = writePortfolioInput(input, v, p, this.peak, equity);
      }
    }
  }

  private act(s: PlanStrategy): void {
    this.lastSignalStep[s.index] = this.stepIndex;
    this.lastSignalTime[s.index] = this.time;
    const created: Order[] = [];
    const a = s.action;
    let weights: { asset: string; weight: number }[] | null = null;
    let message: string | null = null;
    switch (a.type) {
      case 'buy': case 'sell':
        created.push(this.order(s, a.asset, 'delta', a.type === 'buy' ? 1 : -1, a.unit, a.value, 0, a.entry, a.exits));
        break;
      case 'setWeight':
        weights = [{ asset: this.plan.assets[a.asset]!, weight: a.weight }];
        created.push(this.order(s, a.asset, 'target', a.weight >= 0 ? 1 : -1, 'all', 0, a.weight, null, a.exits));
        break;
      case 'closeAll':
        this.portfolio.qty.forEach((q, asset) => {
          if (q !== 0) created.push(this.order(s, asset, 'target', q > 0 ? -1 : 1, 'all', 0, 0));
        });
        break;
      case 'rebalance': {
        const targets = targetWeights(a, this.v, this.ruleMemFor(a));
        weights = targets.map((x) => ({ asset: this.plan.assets[x.asset]!, weight: x.weight }));
        for (const x of rebalanceOrder(targets, this.portfolio)) created.push(this.order(s, x.asset, 'target', x.weight >= 0 ? 1 : -1, 'all', 0, x.weight));
        break;
      }
      case 'alert':
        message = a.message;
        break;
    }
    for (const o of created) {
      if (o.record.status === 'rejected') continue;
      if (this.venue.hasOpenOrder(o.asset)) reject(o.record, `an order for ${o.record.symbol} is already open`);
      else if (this.sizer === null) this.venue.submit(o, this);
      else {
        const fixed = this.sizer.fix(o, this.portfolio, this.close[o.asset]!, this.time);
        if (fixed !== null) this.venue.submit(fixed, this);
      }
    }
    if (!this.keepLog) return;
    const orderIds: number[] = [];
    for (const o of created) {
      this.orders.push(o.record);
      orderIds.push(o.record.id);
    }
    this.signals.push({
      time: this.time,
      strategyId: s.id,
      action: a.type,
      trace: this.audit ? new TracedEvaluator(this.plan, s.condition, this.mems[s.index]!).evaluate(this.v) : { type: 'always', result: true },
      weights,
      orderIds,
      message,
    });
  }

  private ruleMemFor(a: CompiledAction & { type: 'rebalance' }): Float64Array[] {
    if (!a.rule) return [];
    let mem = this.ruleMems.get(a.rule);
    if (!mem) this.ruleMems.set(a.rule, (mem = ruleMemory(a.rule)));
    return mem;
  }

  private order(
    s: PlanStrategy, asset: number, kind: 'delta' | 'target', side: 1 | -1, unit: Order['unit'], value: number, weight: number,
    entry: CompiledEntry | null = null, exits: CompiledExits | null = null,
  ): Order {
    const record = newRecord(this.nextOrderId++, s.id, this.plan.assets[asset]!, side === 1 ? 'buy' : 'sell', this.time);
    if (entry === null && exits === null) return { asset, kind, side, unit, value, weight, record, entry: null, exits: null, exitReason: null };
    const resolved = resolveOrder(entry, exits, side, this.portfolio.mark[asset]!, this.v);
    if (resolved.error !== null) reject(record, resolved.error);
    if (resolved.entry !== null) {
      record.type = resolved.entry.type;
      if (!Number.isNaN(resolved.entry.stop)) record.stopPrice = resolved.entry.stop;
      if (!Number.isNaN(resolved.entry.limit)) record.limitPrice = resolved.entry.limit;
    }
    return { asset, kind, side, unit, value, weight, record, entry: resolved.entry, exits: resolved.exits, exitReason: null };
  }

  /**
   * settings.closeAtEnd, after the last step: each open position is closed at its asset's last close (fees
   * and slippage as for a market order; reason "end"), and the last equity point pays those costs, so the
   * curve and the trades agree. backtesting.py's finalize_trades does the same.
   */
  closeAtEnd(): void {
    const p = this.portfolio;
    let closed = false;
    for (let a = 0; a < p.qty.length; a++) {
      if (p.qty[a] === 0 || !Number.isFinite(p.mark[a]!)) continue;
      const side = p.qty[a]! > 0 ? -1 : 1;
      const record = newRecord(this.nextOrderId++, p.openStrategy[a]!, this.plan.assets[a]!, side === 1 ? 'buy' : 'sell', this.time);
      record.type = 'closeAtEnd';
      if (this.keepLog) this.orders.push(record);
      this.fills.execute({ asset: a, kind: 'target', side, unit: 'all', value: 0, weight: 0, record, entry: null, exits: null, exitReason: 'end' }, p.mark[a]!, this.time);
      closed = true;
    }
    const r = this.recorder;
    if (closed && r.length > 0) r.equity[r.length - 1] = p.equity();
  }

  /** StepView: an order the venue places for an attached exit (recorded like any order). */
  exitOrder(asset: number, type: OrderType, reason: ExitReason, strategyId: string, parentId: number): Order {
    const side = this.portfolio.qty[asset]! > 0 ? -1 : 1;
    const record = newRecord(this.nextOrderId++, strategyId, this.plan.assets[asset]!, side === 1 ? 'buy' : 'sell', this.time);
    record.type = type;
    record.parentId = parentId;
    if (this.keepLog) this.orders.push(record);
    return { asset, kind: 'target', side, unit: 'all', value: 0, weight: 0, record, entry: null, exits: null, exitReason: reason };
  }
}
