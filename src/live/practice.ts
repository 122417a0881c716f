import { barsFor, compile, dayKeyOf, priceMode, rangeOf, runData, sessionEnds, type MarketData } from '../engine/index.ts';
import type { StrategyDocument } from '../schema/index.ts';
import type { LiveBar } from './broker.ts';
import type { LiveEvent } from './events.ts';
import type { RiskGuards } from './guards.ts';
import { MemoryJournal, type Intent, type Journal, type JournalEntry } from './journal.ts';
import { LiveProcessor } from './processor.ts';
import { SimBroker } from './sim-broker.ts';

/**
 * A replayed market for the simulated broker: the data's timestamps in order, one per `next()`. "Deploy to
 * practice" walks it; restarting with the same journal skips what the journal already holds.
 */
export class ReplayMarket {
  private readonly times: number[];
  private readonly rows: Map<number, LiveBar[]>;
  private cursor = 0;

  constructor(doc: StrategyDocument, data: MarketData) {
    const assets = compile(doc).assets;
    // Adjusted prices (the default with corporate actions) are what the market plays, as a backtest reads them.
    const cols = runData(data, assets, doc.settings).cols;
    const to = rangeOf(doc).to;
    this.rows = new Map();
    cols.forEach((c, a) => {
      for (let i = 0; i < c.length; i++) {
        const t = c.time[i]!;
        if (t > to) break;
        const bar = { symbol: assets[a]!, time: t, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! };
        const row = this.rows.get(t);
        if (row) row.push(bar); else this.rows.set(t, [bar]);
      }
    });
    this.times = [...this.rows.keys()].sort((x, y) => x - y);
  }

  get length(): number {
    return this.times.length;
  }

  get position(): number {
    return this.cursor;
  }

  done(): boolean {
    return this.cursor >= this.times.length;
  }

  /** Moves the broker's market to the next timestamp. */
  next(broker: SimBroker): number {
    const t = this.times[this.cursor++]!;
    broker.advance(t, this.rows.get(t)!);
    return t;
  }

  /** Moves the broker's market up to `time`. */
  seek(broker: SimBroker, time: number): void {
    while (!this.done() && this.times[this.cursor]! <= time) this.next(broker);
  }
}

export interface PracticeOptions {
  journal?: Journal;
  guards?: RiskGuards;
  emit?: (e: LiveEvent) => void;
  /** Stop after this many timestamps (a practice run can be resumed with the same journal). */
  maxSteps?: number;
  /** Deployment id of a new deployment (the prefix of its client order ids). */
  id?: string;
}

/** A practice deployment: `advance` moves the market one timestamp and ticks the processor. */
export interface Practice {
  readonly processor: LiveProcessor;
  readonly market: ReplayMarket;
  /** One timestamp; at the end of the data, orders still waiting are cancelled (as a backtest does). Returns false when done. */
  advance(): Promise<boolean>;
}

/**
 * Opens (or resumes, given a journal that already holds a deployment) a practice deployment on recorded
 * data: the simulated broker plays the market timestamp by timestamp, the live processor trades it.
 */
export async function openPractice(doc: StrategyDocument, data: MarketData, o: PracticeOptions = {}): Promise<Practice> {
  if (priceMode(doc.settings) === 'raw' && data.actions?.some((a) => doc.settings.universe.includes(a.symbol))) {
    // The simulated broker would have to split its own books and orders as a real broker does; not built yet.
    throw new Error('corporate actions on raw prices are not simulated in practice yet: use adjusted prices (settings.prices "adjusted", the default)');
  }
  const market = new ReplayMarket(doc, data);
  const assets = compile(doc).assets;
  // The replayed data's sessions: a session's last bar is the asset's bar before another exchange day (as in a backtest).
  const broker = new SimBroker(assets, doc.settings, doc.settings.initialCash, sessionEnds(barsFor(data, assets), dayKeyOf(doc.settings)));
  const journal = o.journal ?? new MemoryJournal();
  await rebuildBroker(await journal.read(), broker, market);
  const processor = await LiveProcessor.open({ broker, journal, create: { doc, mode: 'practice', warmUp: false, guards: o.guards, id: o.id }, emit: o.emit, series: data.series });
  // Stopped between journaling a step's orders and sending them (a tab closed, a crash): send them now, at the
  // market they were made for. The next tick would send them only after the market moved on, a bar late.
  if ([...processor.venue.tracked.values()].some((t) => t.state === 'intent' || t.state === 'unknown')) await processor.poll();
  let ended = false;
  return {
    processor,
    market,
    async advance() {
      if (ended) return false;
      if (!market.done()) {
        market.next(broker);
        await processor.tick();
        return true;
      }
      broker.endOfData();
      await processor.poll();
      ended = true;
      return false;
    },
  };
}

/** Runs a practice deployment to the end of the data (or `maxSteps` timestamps). */
export async function runPractice(doc: StrategyDocument, data: MarketData, o: PracticeOptions = {}): Promise<LiveProcessor> {
  const p = await openPractice(doc, data, o);
  let steps = 0;
  while ((o.maxSteps === undefined || steps < o.maxSteps) && !p.market.done()) {
    await p.advance();
    steps++;
  }
  if (p.market.done()) await p.advance();
  return p.processor;
}

/**
 * The simulated broker keeps its books in memory; on resume they are rebuilt from the journal, which holds
 * everything the broker was told and when: the market moves to each journaled step, and each order the
 * journal says was sent is submitted again at that point (the broker is deterministic, so it fills alike).
 */
async function rebuildBroker(entries: readonly JournalEntry[], broker: SimBroker, market: ReplayMarket): Promise<void> {
  const intents = new Map<string, Intent>();
  for (const e of entries) {
    if (e.type === 'step' || e.type === 'updates' || e.type === 'control') for (const i of e.intents) intents.set(i.clientOrderId, i);
    if (e.type === 'step') market.seek(broker, e.time);
    else if (e.type === 'sent') {
      const i = intents.get(e.clientOrderId);
      if (i) await broker.submitOrder({ ...i, extendedHours: false });
    } else if (e.type === 'control' && e.action === 'kill') {
      broker.cancelAll();
    }
  }
}
