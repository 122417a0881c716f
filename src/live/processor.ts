import { buildResult, compile, dayKeyOf, ENGINE_VERSION, Kernel, rangeOf, reject, type Explanation } from '../engine/index.ts';
import type { OrderRecord, RunResult, StepSeries, StrategyDocument } from '../schema/index.ts';
import { timeframeMs } from '../data/index.ts';
import { BrokerError, type Broker, type BrokerClock, type BrokerOrder, type LiveBar, type OrderLookup, type OrderRequest, type Session } from './broker.ts';
import type { LiveEvent } from './events.ts';
import { divergence, type DivergenceReport } from './divergence.ts';
import { badBar, byTime, completedUntil } from './feed.ts';
import type { RiskGuards } from './guards.ts';
import { MemoryJournal, type DeploymentConfig, type Intent, type Journal, type JournalEntry, type OrderUpdate } from './journal.ts';
import { LiveVenue, type Tracked } from './live-venue.ts';

export interface CreateDeployment {
  doc: StrategyDocument;
  mode: DeploymentConfig['mode'];
  guards?: RiskGuards;
  extendedHours?: boolean;
  /** Deployment id (prefix of every client order id); default from the broker clock and a random suffix. */
  id?: string;
  /**
   * practice: the feed starts at the data's beginning and the document's range decides what trades, as in a
   * backtest. Otherwise history up to the broker's clock warms indicators up and only later bars trade.
   */
  warmUp?: boolean;
}

export interface LiveProcessorOptions {
  broker: Broker;
  journal: Journal;
  /** Required when the journal is empty; ignored (the journal's deployment wins) when resuming. */
  create?: CreateDeployment;
  emit?: (e: LiveEvent) => void;
  /**
   * External series the strategy reads (fundamentals, economic data), keyed by the time each value became
   * known. Not journaled: a restart reads them afresh, so a file updated with a new release is seen.
   */
  series?: readonly StepSeries[];
}

const MAX_EVENTS = 5000;

/**
 * The live processor (DESIGN.md §3): the backtest's Kernel on a LiveVenue. Each tick: the broker's clock,
 * news about our orders, the bars completed since the last step; each timestamp steps the kernel (broker
 * fills first, as in a backtest), its orders are journaled (durably) and only then sent; after the tick the
 * broker's positions and cash are the truth (reconciliation). The journal rebuilds everything on resume.
 */
export class LiveProcessor {
  readonly kernel: Kernel;
  readonly venue: LiveVenue;
  readonly events: LiveEvent[] = [];
  lastTime = -Infinity;
  /** Every bar stepped (warm-up included): what the divergence report re-runs the backtest on. */
  readonly bars: LiveBar[] = [];
  private readonly symbols: ReadonlySet<string>;
  private readonly index: Map<string, number>;
  private readonly tfMs: number;
  private replaying = false;
  private signalsSeen = 0;
  private killSeq = 0;
  /** The broker's session calendar as far as it was read (by open time), for time exits at the session close. */
  private sessions: Session[] = [];
  private readonly wantsCalendar: boolean;

  private constructor(private readonly o: LiveProcessorOptions, readonly config: DeploymentConfig) {
    const doc = config.doc;
    const plan = compile(doc);
    this.symbols = new Set(plan.assets);
    this.index = new Map(plan.assets.map((s, i) => [s, i]));
    this.tfMs = timeframeMs(doc.settings.timeframe);
    // A broker that keeps relative exits (the simulated one) closes at the session's end by itself.
    const calendar = o.broker.sessions !== undefined && !o.broker.capabilities?.relativeExits;
    this.wantsCalendar = calendar && this.tfMs < DAY && usesSessionClose(doc);
    this.venue = new LiveVenue({
      idPrefix: config.id,
      allowsReversal: o.broker.allowsReversal,
      capabilities: o.broker.capabilities,
      broker: o.broker.name,
      timeframeMs: timeframeMs(doc.settings.timeframe),
      intrabar: doc.settings.intrabar === 'optimistic' ? 'optimistic' : 'pessimistic',
      sessionCloseOf: calendar ? (t) => this.sessionCloseOf(t) : undefined,
      guards: config.guards,
      dayKey: dayKeyOf(doc.settings),
      emit: (e) => this.emit(e),
    });
    this.kernel = new Kernel({
      plan,
      settings: { ...doc.settings, initialCash: config.initialCash },
      venue: () => this.venue,
      fromTime: config.tradeFrom ?? -Infinity,
      audit: true,
      sizing: 'signal',
      series: o.series,
    });
    this.venue.bind(this.kernel);
  }

  static async open(o: LiveProcessorOptions): Promise<LiveProcessor> {
    const entries = await o.journal.read();
    if (entries.length > 0) {
      const first = entries[0]!;
      if (first.type !== 'deployment') throw new Error('the state does not start with a deployment entry');
      const lp = new LiveProcessor(o, first.config);
      lp.restore(entries.slice(1));
      return lp;
    }
    if (!o.create) throw new Error('no deployment in this state yet: give a strategy to create one');
    const c = o.create;
    const [account, clock] = [await o.broker.account(), await o.broker.clock()];
    const practice = c.warmUp === false;
    const config: DeploymentConfig = {
      id: c.id ?? `d${Math.max(0, clock.time).toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      doc: c.doc,
      broker: o.broker.name,
      mode: c.mode,
      accountId: account.id,
      createdAt: Number.isFinite(clock.time) ? clock.time : 0,
      tradeFrom: practice ? nullIfInfinite(rangeOf(c.doc).from) : clock.time,
      initialCash: practice ? c.doc.settings.initialCash : account.cash,
      guards: c.guards ?? {},
      extendedHours: c.extendedHours ?? false,
      engineVersion: ENGINE_VERSION,
    };
    await o.journal.append([{ type: 'deployment', config }]);
    const lp = new LiveProcessor(o, config);
    if (!practice) await lp.warmUp(clock);
    return lp;
  }

  /** One round: broker news, completed bars (each a kernel step), sends, reconciliation. Returns the steps taken. */
  async tick(): Promise<number> {
    this.notices();
    const clock = await this.call('clock', () => this.o.broker.clock());
    if (clock === undefined) return 0;
    const updates = await this.collectUpdates(clock.time);
    const bars = await this.call('bars', () => this.o.broker.bars([...this.symbols], this.config.doc.settings.timeframe, this.lastTime + 1, completedUntil(this.o.broker, clock, this.tfMs)));
    const groups = byTime(this.validBars(bars ?? [], clock.time), this.kernel.plan.assets);
    if (groups.length > 0) await this.readCalendar(groups[0]!.time, clock.time);
    const refusal = this.tradeRefusal(clock);
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      const applied = i === 0 ? updates : [];
      const intents = this.step(g.time, g.bars, applied, refusal);
      await this.o.journal.append([{ type: 'step', time: g.time, bars: g.bars, updates: applied, intents, refusal }]);
      this.announce(intents, g.time);
    }
    if (groups.length === 0) await this.applyBetweenBars(updates, clock.time);
    await this.send(clock.time);
    await this.reconcile(clock.time);
    return groups.length;
  }

  /** True while an order of this deployment is open or its outcome is unknown. */
  busy(): boolean {
    return this.venue.active().length > 0;
  }

  /** Broker news only (no bars): used while waiting for open orders to settle. */
  async poll(): Promise<void> {
    this.notices();
    const clock = await this.call('clock', () => this.o.broker.clock());
    if (clock === undefined) return;
    await this.applyBetweenBars(await this.collectUpdates(clock.time), clock.time);
    await this.send(clock.time);
    await this.reconcile(clock.time);
  }

  /** Broker news that arrived with no new bar is applied at once (journaled as such, for the replay). */
  private async applyBetweenBars(updates: OrderUpdate[], time: number): Promise<void> {
    if (updates.length === 0) return;
    this.venue.queue(updates);
    this.venue.applyQueued(time);
    const intents = this.venue.takeOutbox();
    await this.o.journal.append([{ type: 'updates', time, updates, intents }]);
    this.announce(intents, time);
  }

  async pause(): Promise<void> {
    await this.control('pause', []);
  }

  async resume(): Promise<void> {
    await this.control('resume', []);
  }

  /**
   * The kill switch: pause (no new orders), cancel every open order of this deployment, and optionally
   * flatten: a market order closing each position, journaled before it is sent like any other.
   */
  async kill(flatten: boolean): Promise<void> {
    const time = Number.isFinite(this.kernel.time) ? this.kernel.time : this.config.createdAt;
    const intents: Intent[] = [];
    this.venue.paused = true;
    for (const t of [...this.venue.active(), ...this.venue.resting()]) {
      if (t.state === 'sent' && t.brokerId !== null) {
        await this.call(`cancel ${t.clientOrderId}`, () => this.o.broker.cancelOrder(t.brokerId!));
      } else if (t.state === 'intent' || t.state === 'waiting') {
        this.cancelUnsent(t, 'cancelled by the kill switch before it was sent');
      }
    }
    // Exits the broker keeps for a filled order (simulated broker): cancelling the order cancels them.
    for (const x of this.venue.armed.values()) {
      if (x.relative && x.parent.brokerId !== null) await this.call(`cancel exits of ${x.parent.clientOrderId}`, () => this.o.broker.cancelOrder(x.parent.brokerId!));
    }
    this.venue.disarmAll();
    if (flatten) {
      const p = this.kernel.portfolio;
      p.qty.forEach((q, a) => {
        if (q === 0) return;
        const symbol = this.kernel.plan.assets[a]!;
        intents.push({ clientOrderId: `${this.config.id}-k${++this.killSeq}-${symbol}`, symbol, side: q > 0 ? 'sell' : 'buy', qty: Math.abs(q) });
      });
      for (const i of intents) this.trackKill(i, time);
    }
    await this.control('kill', intents);
    await this.send(time);
  }

  /** The deployment as a run result: signals with traces, orders, trades, equity (same shape as a backtest). */
  result(): RunResult {
    return buildResult(this.kernel, []);
  }

  /**
   * `explain(time)` on a deployment's history: why each strategy did or did not act at the last journaled
   * step at or before `time`. The journal holds the bars and the broker news of every step, and the run is
   * deterministic, so replaying it up to that step through a fresh kernel and evaluating the step with tracing
   * on gives the exact condition trees the deployment saw (no broker is called). `allowsReversal` is the
   * deployment's broker's, which decides how its orders were split.
   */
  static explain(entries: readonly JournalEntry[], time: number, allowsReversal: boolean, series?: readonly StepSeries[]): Explanation[] {
    const first = entries[0];
    if (first?.type !== 'deployment') throw new Error('the state does not start with a deployment entry');
    let at = -1;
    entries.forEach((e, i) => { if (e.type === 'step' && e.time <= time && (at < 0 || e.time >= (entries[at] as { time: number }).time)) at = i; });
    if (at < 0) throw new Error(`the deployment has no step at or before ${new Date(time).toISOString()}`);
    const target = entries[at] as Extract<JournalEntry, { type: 'step' }>;
    const lp = new LiveProcessor({ broker: { ...NO_BROKER, allowsReversal }, journal: new MemoryJournal(), series }, first.config);
    lp.restore(entries.slice(1, at));
    const out: Explanation[] = [];
    lp.replaying = true;
    lp.kernel.explanations = out;
    try {
      lp.step(target.time, target.bars, target.updates, target.refusal);
    } finally {
      lp.kernel.explanations = null;
      lp.replaying = false;
    }
    return out;
  }

  /** This deployment against the backtest of the bars it saw (divergence.ts). */
  divergence(): DivergenceReport {
    return divergence(this.result(), this.bars, this.config.doc, this.config.tradeFrom, this.config.initialCash, this.o.series);
  }

  // ---------------------------------------------------------------------------------------------------

  private async warmUp(clock: BrokerClock): Promise<void> {
    const w = this.kernel.plan.warmup;
    const intraday = this.tfMs < 86_400_000;
    const lookback = Math.max(w.bars, 2) * this.tfMs * (intraday ? 6 : 1.6) + w.ms + 7 * 86_400_000;
    const bars = await this.call('warm-up bars', () => this.o.broker.bars([...this.symbols], this.config.doc.settings.timeframe, clock.time - lookback, completedUntil(this.o.broker, clock, this.tfMs)));
    const entries: JournalEntry[] = [];
    for (const g of byTime(this.validBars(bars ?? [], clock.time), this.kernel.plan.assets)) {
      const intents = this.step(g.time, g.bars, [], null);
      entries.push({ type: 'step', time: g.time, bars: g.bars, updates: [], intents, refusal: null });
    }
    await this.o.journal.append(entries);
  }

  /**
   * The sessions from the first bar to be stepped to a week past the clock, read from the broker when not yet
   * known, and journaled before any step uses them (a resume decides with the same calendar).
   */
  private async readCalendar(from: number, now: number): Promise<void> {
    if (!this.wantsCalendar) return;
    const known = this.sessions;
    if (known.length > 0 && known[0]!.open <= from && known[known.length - 1]!.close >= Math.max(from, now) + DAY) return;
    const list = await this.call('calendar', () => this.o.broker.sessions!(Math.min(from, now) - 7 * DAY, Math.max(from, now) + 7 * DAY));
    if (list === undefined) return; // audited; the next tick asks again (a market-on-close order does not need it)
    await this.o.journal.append([{ type: 'sessions', sessions: list }]);
    this.addSessions(list);
  }

  private addSessions(list: readonly Session[]): void {
    const byDate = new Map(this.sessions.map((x) => [x.date, x]));
    for (const x of list) byDate.set(x.date, x);
    this.sessions = [...byDate.values()].sort((x, y) => x.open - y.open);
  }

  /** The close of the session holding an intraday bar that starts at t, or NaN (outside every known session). */
  private sessionCloseOf(t: number): number {
    const list = this.sessions;
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.open <= t) lo = mid + 1; else hi = mid;
    }
    const s = list[lo - 1];
    return s !== undefined && t < s.close ? s.close : NaN;
  }

  private step(time: number, bars: readonly LiveBar[], updates: readonly OrderUpdate[], refusal: string | null): Intent[] {
    this.venue.canTrade = () => refusal;
    this.venue.queue(updates);
    for (const b of bars) {
      this.kernel.setBar(this.index.get(b.symbol)!, b.open, b.high, b.low, b.close, b.volume);
      this.bars.push(b);
    }
    this.kernel.step(time);
    this.lastTime = time;
    this.emit({ type: 'bar', time, symbols: bars.map((b) => b.symbol) });
    const signals = this.kernel.signals;
    for (; this.signalsSeen < signals.length; this.signalsSeen++) this.emit({ type: 'signal', time, signal: signals[this.signalsSeen]! });
    return this.venue.takeOutbox();
  }

  /** Why no order may be sent now: intraday strategies trade only in the session (unless extended hours). */
  private tradeRefusal(clock: BrokerClock): string | null {
    if (clock.isOpen || this.config.extendedHours || this.tfMs >= 86_400_000) return null;
    return 'market closed';
  }

  private validBars(bars: readonly LiveBar[], now: number): LiveBar[] {
    const out: LiveBar[] = [];
    for (const b of bars) {
      const bad = badBar(b, this.symbols);
      if (bad !== null) this.error(now, 'bars', bad);
      else if (b.time > this.lastTime) out.push(b);
    }
    return out;
  }

  private async collectUpdates(now: number): Promise<OrderUpdate[]> {
    const out: OrderUpdate[] = [];
    const legs: { asset: number; u: OrderUpdate }[] = [];
    const watched = new Set([...this.venue.armed.values()].filter((x) => x.relative).map((x) => x.parent));
    for (const t of this.venue.tracked.values()) {
      const open = t.state === 'sent';
      if (!open && !watched.has(t)) continue;
      const bo = await this.call(`order ${t.clientOrderId}`, () => this.o.broker.orderByClientId(t.clientOrderId, this.lookupOf(t)));
      if (bo === undefined || bo === null) {
        if (bo === null) this.error(now, `order ${t.clientOrderId}`, 'the broker does not know an order it accepted');
        continue;
      }
      if (open) {
        const u = this.updateOf(t.appliedCount, t, bo, now);
        if (u !== null) out.push(u);
      }
      // Exits the broker placed for this order's position (their fills come after the order's own, as in a backtest).
      for (const leg of bo.legs ?? []) {
        const lt = this.venue.tracked.get(leg.clientOrderId);
        if (lt?.state === 'done' || leg.exitReason === undefined) continue;
        const u = this.updateOf(lt?.appliedCount ?? 0, lt ?? null, leg, now);
        if (u !== null) legs.push({ asset: t.asset, u: { ...u, leg: { parent: t.clientOrderId, reason: leg.exitReason, qty: leg.qty, stopPrice: leg.stopPrice ?? null, limitPrice: leg.limitPrice ?? null } } });
      }
    }
    legs.sort((x, y) => x.asset - y.asset);
    return [...out, ...legs.map((x) => x.u)];
  }

  /** The news in a broker order beyond `applied` executions, or null when there is none. */
  private updateOf(applied: number, t: Tracked | null, bo: BrokerOrder, now: number): OrderUpdate | null {
    const executions = bo.executions.length > 0 || bo.avgFillPrice === null
      ? bo.executions.slice(applied)
      : LiveVenue.fromCumulative(t ?? { appliedQty: 0, appliedNotional: 0, appliedFees: 0 }, bo.filledQty, bo.avgFillPrice, bo.filledAt ?? now, bo.fees ?? 0);
    const terminal = bo.status !== 'open' && bo.status !== 'partial' && bo.status !== 'pending';
    if (executions.length === 0 && !terminal) return null;
    const u: OrderUpdate = { clientOrderId: bo.clientOrderId, executions, status: bo.status, reason: bo.reason };
    if (bo.exitReason !== undefined && t?.exit) u.exitReason = bo.exitReason;
    return u;
  }

  /** Sends journaled intents. An order that may already be at the broker is looked up by its client id first. */
  private async send(now: number): Promise<void> {
    for (const t of [...this.venue.tracked.values()]) {
      if (!t.cancelWanted) continue;
      if (t.state === 'sent' && t.brokerId !== null) {
        t.cancelWanted = false;
        await this.call(`cancel ${t.clientOrderId}`, () => this.o.broker.cancelOrder(t.brokerId!));
        // An order waits for this cancel (the broker held the shares): learn the outcome now, so it goes this tick.
        if ([...this.venue.tracked.values()].some((w) => w.waitsFor === t)) {
          const bo = await this.call(`order ${t.clientOrderId}`, () => this.o.broker.orderByClientId(t.clientOrderId, this.lookupOf(t)));
          const u = bo ? this.updateOf(t.appliedCount, t, bo, now) : null;
          if (u !== null) await this.applyBetweenBars([u], now);
        }
      } else if (t.state === 'intent' || t.state === 'waiting') {
        t.cancelWanted = false;
        this.cancelUnsent(t, t.cancelReason ?? 'cancelled before it was sent');
      }
    }
    for (const t of [...this.venue.tracked.values()]) {
      if (t.state !== 'intent' && t.state !== 'unknown') continue;
      if (t.mayExist || t.state === 'unknown') {
        const found = await this.call(`look up ${t.clientOrderId}`, () => this.o.broker.orderByClientId(t.clientOrderId, this.lookupOf(t)));
        if (found === undefined) continue; // the lookup failed: try again next tick, never send blindly
        if (found !== null) {
          await this.markSent(t, found.id, now, 'found');
          continue;
        }
      }
      try {
        const req: OrderRequest = { clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty, extendedHours: this.config.extendedHours };
        if (t.spec !== null) req.spec = t.spec;
        const bo = await this.o.broker.submitOrder(req);
        await this.markSent(t, bo.id, now, 'sent');
      } catch (e) {
        const err = asBrokerError(e);
        this.error(now, `send ${t.clientOrderId}`, err.message);
        if (err.kind === 'refused') {
          await this.o.journal.append([{ type: 'refused', clientOrderId: t.clientOrderId, reason: err.message }]);
          this.refuse(t, err.message);
          this.emit({ type: 'order', time: now, clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty, state: 'refused' });
        } else if (err.kind !== 'rate-limited') {
          // It may have reached the broker: from now on only a lookup decides.
          t.state = 'unknown';
          t.mayExist = true;
          await this.o.journal.append([{ type: 'unknown', clientOrderId: t.clientOrderId }]);
          this.emit({ type: 'order', time: now, clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty, state: 'unknown' });
          const found = await this.call(`look up ${t.clientOrderId}`, () => this.o.broker.orderByClientId(t.clientOrderId, this.lookupOf(t)));
          if (found) await this.markSent(t, found.id, now, 'found');
        }
      }
    }
  }

  /** What a broker without client order ids needs to find this order (see OrderLookup). */
  private lookupOf(t: Tracked): OrderLookup {
    const owned = new Set<string>();
    for (const x of this.venue.tracked.values()) if (x !== t && x.brokerId !== null) owned.add(x.brokerId);
    return { brokerId: t.brokerId, symbol: t.symbol, side: t.side, qty: t.qty, spec: t.spec, notBefore: t.record.createdTime, owned };
  }

  private async markSent(t: Tracked, brokerId: string, now: number, state: 'sent' | 'found'): Promise<void> {
    await this.o.journal.append([{ type: 'sent', clientOrderId: t.clientOrderId, brokerId }]);
    t.state = 'sent';
    t.brokerId = brokerId;
    this.emit({ type: 'order', time: now, clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty, state });
  }

  private refuse(t: Tracked, reason: string): void {
    if (t.exit !== null) return this.venue.exitRefused(t);
    t.state = 'done';
    if (t.next) t.next.state = 'done';
    const r = t.record;
    if (r.filledQuantity > 0) {
      r.status = 'filled';
      r.reason = `the rest was refused by the broker: ${reason}`;
    } else reject(r, `refused by the broker: ${reason}`);
  }

  private cancelUnsent(t: Tracked, reason: string): void {
    if (t.exit !== null) return this.venue.exitRefused(t);
    t.state = 'done';
    if (t.next) t.next.state = 'done';
    if (t.record.filledQuantity === 0) {
      t.record.status = 'cancelled';
      t.record.reason = reason;
    }
  }

  /** The broker's account and positions are the truth; orders still in flight are reconciled once they settle. */
  private async reconcile(now: number): Promise<void> {
    const active = this.venue.active();
    // An exit order resting at the broker may fill between our lookup and the positions call: not compared then.
    const busy = new Set([...active, ...this.venue.resting()].map((t) => t.asset));
    const account = await this.call('account', () => this.o.broker.account());
    const positions = await this.call('positions', () => this.o.broker.positions());
    if (!account || !positions) return;
    const p = this.kernel.portfolio;
    const adjust: Extract<JournalEntry, { type: 'adjust' }> = { type: 'adjust', time: now, cash: null, positions: [] };
    this.kernel.plan.assets.forEach((symbol, a) => {
      if (busy.has(a)) return;
      const actual = positions.find((x) => x.symbol === symbol)?.qty ?? 0;
      const expected = p.qty[a]!;
      if (Math.abs(actual - expected) > 1e-6 * Math.max(1, Math.abs(actual))) {
        const price = p.mark[a]! > 0 ? p.mark[a]! : positions.find((x) => x.symbol === symbol)?.avgPrice ?? 0;
        adjust.positions.push({ symbol, qty: actual, price });
        this.emit({ type: 'reconcile', time: now, what: `position ${symbol}`, expected, actual });
      }
    });
    if (active.length === 0 && Math.abs(account.cash - p.cash) > 0.005) {
      adjust.cash = account.cash;
      this.emit({ type: 'reconcile', time: now, what: 'cash', expected: p.cash, actual: account.cash });
    }
    if (adjust.cash === null && adjust.positions.length === 0) return;
    await this.o.journal.append([adjust]);
    this.applyAdjust(adjust);
  }

  private applyAdjust(x: Extract<JournalEntry, { type: 'adjust' }>): void {
    const p = this.kernel.portfolio;
    for (const pos of x.positions) {
      const a = this.index.get(pos.symbol)!;
      const cash = p.cash;
      p.fill(a, pos.qty - p.qty[a]!, pos.price, 0, x.time, 'reconcile');
      p.cash = cash;
    }
    if (x.cash !== null) p.cash = x.cash;
  }

  private async control(action: 'pause' | 'resume' | 'kill', intents: Intent[]): Promise<void> {
    const time = Number.isFinite(this.kernel.time) ? this.kernel.time : this.config.createdAt;
    this.venue.paused = action !== 'resume';
    await this.o.journal.append([{ type: 'control', time, action, intents }]);
    this.emit({ type: 'control', time, action, detail: action === 'kill' ? `cancelled open orders${intents.length ? `, flattening ${intents.length} position(s)` : ''}` : action });
  }

  private trackKill(i: Intent, time: number): void {
    const record: OrderRecord = {
      id: -this.killSeq, strategyId: 'kill switch', symbol: i.symbol, side: i.side, quantity: i.qty, createdTime: time,
      status: 'open', fillTime: null, fillPrice: null, filledQuantity: 0, fees: 0, reason: 'flatten (kill switch)',
    };
    this.kernel.orders.push(record);
    this.venue.trackIntent(i, this.index.get(i.symbol)!, record);
  }

  private restore(entries: readonly JournalEntry[]): void {
    this.replaying = true;
    try {
      for (const e of entries) {
        switch (e.type) {
          case 'step': this.expect(this.step(e.time, e.bars, e.updates, e.refusal), e.intents, e.time); break;
          case 'updates':
            this.venue.queue(e.updates);
            this.venue.applyQueued(e.time);
            this.expect(this.venue.takeOutbox(), e.intents, e.time);
            break;
          case 'sent': { const t = this.venue.tracked.get(e.clientOrderId); if (t) { t.state = 'sent'; t.brokerId = e.brokerId; } break; }
          case 'refused': { const t = this.venue.tracked.get(e.clientOrderId); if (t) this.refuse(t, e.reason); break; }
          case 'unknown': { const t = this.venue.tracked.get(e.clientOrderId); if (t) t.state = 'unknown'; break; }
          case 'adjust': this.applyAdjust(e); break;
          case 'control':
            this.venue.paused = e.action !== 'resume';
            if (e.action === 'kill') {
              for (const t of [...this.venue.active(), ...this.venue.resting()]) if (t.state === 'intent' || t.state === 'waiting') this.cancelUnsent(t, 'cancelled by the kill switch before it was sent');
              this.venue.disarmAll();
              for (const i of e.intents) { this.killSeq++; this.trackKill(i, e.time); }
            }
            break;
          case 'event': this.events.push(e.event); break;
          case 'sessions': this.addSessions(e.sessions); break;
          case 'deployment': throw new Error('the state holds two deployment entries');
        }
      }
      // Whatever was journaled but not confirmed may be at the broker: look it up before sending.
      for (const t of this.venue.tracked.values()) if (t.state === 'intent' || t.state === 'unknown') t.mayExist = true;
    } finally {
      this.replaying = false;
    }
  }

  private expect(got: Intent[], want: readonly Intent[], time: number): void {
    const a = JSON.stringify(got), b = JSON.stringify(want);
    if (a === b) return;
    const written = this.config.engineVersion;
    const why = written === undefined ? 'was the strategy or the engine changed? The journal does not say which engine wrote it'
      : written === ENGINE_VERSION ? `the journal was written by this engine version (${ENGINE_VERSION}): was the journal or the strategy changed?`
        : `the journal was written by engine ${written} and this is engine ${ENGINE_VERSION}, whose semantics differ (docs/ENGINE.md): finish or close the deployment with engine ${written}`;
    throw new Error(`the state does not replay: at ${new Date(time).toISOString()} the journal recorded orders ${b}, this engine makes ${a} (${why})`);
  }

  private announce(intents: readonly Intent[], time: number): void {
    for (const i of intents) this.emit({ type: 'order', time, clientOrderId: i.clientOrderId, symbol: i.symbol, side: i.side, qty: i.qty, state: 'intent' });
  }

  /** A broker call whose failure is audited, not thrown (the tick goes on; the next one retries). */
  private async call<T>(where: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      this.error(Number.isFinite(this.kernel.time) ? this.kernel.time : 0, where, asBrokerError(e).message);
      return undefined;
    }
  }

  /** The broker connection's notices (streams) into the audit: failures as errors, state changes as stream events. */
  private notices(): void {
    const time = Number.isFinite(this.kernel.time) ? this.kernel.time : 0;
    for (const n of this.o.broker.drainNotices?.() ?? []) {
      if (n.error) this.error(time, n.where, n.message);
      else this.audit({ type: 'stream', time, where: n.where, message: n.message });
    }
  }

  private error(time: number, where: string, message: string): void {
    this.audit({ type: 'error', time, where, message });
  }

  /** An event kept in the journal too (the page and a resumed runner show it). */
  private audit(event: LiveEvent): void {
    this.emit(event);
    if (!this.replaying) void this.o.journal.append([{ type: 'event', event }]).catch(() => {});
  }

  private emit(e: LiveEvent): void {
    if (this.replaying) return;
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.o.emit?.(e);
  }
}

function asBrokerError(e: unknown): BrokerError {
  if (e instanceof BrokerError) return e;
  return new BrokerError('ambiguous', e instanceof Error ? e.message : String(e));
}

/** The broker of a replay, which must never call one (explain). */
const refuse = () => Promise.reject(new Error('a replay does not call the broker'));
// With `sessions`: a replay decides session closes with the journaled calendar.
const NO_BROKER: Broker = {
  name: 'replay', allowsReversal: true, account: refuse, clock: refuse, positions: refuse, openOrders: refuse,
  submitOrder: refuse, orderByClientId: refuse, cancelOrder: refuse, bars: refuse, sessions: refuse,
};

const DAY = 86_400_000;

/** Whether any action of the document closes its position at the session's end. */
function usesSessionClose(doc: StrategyDocument): boolean {
  return doc.strategies.some((s) => {
    const x = (s.action as { exits?: { timeExit?: object } }).exits?.timeExit;
    return x !== undefined && 'sessionClose' in x;
  });
}

function nullIfInfinite(t: number): number | null {
  return Number.isFinite(t) ? t : null;
}
