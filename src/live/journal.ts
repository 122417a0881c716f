import type { StrategyDocument } from '../schema/index.ts';
import type { Execution, LiveBar, OrderSpec, Session } from './broker.ts';
import type { LiveEvent } from './events.ts';
import type { RiskGuards } from './guards.ts';

/** What a deployment is: fixed when it is created, read back on every resume. */
export interface DeploymentConfig {
  id: string;
  doc: StrategyDocument;
  /** Broker name (never a key). */
  broker: string;
  mode: 'practice' | 'paper' | 'live';
  /** The account the deployment trades (its number, as the broker reports it). */
  accountId: string;
  createdAt: number;
  /** Bars before this time warm indicators up; only later ones trade (null: every bar may trade). */
  tradeFrom: number | null;
  initialCash: number;
  guards: RiskGuards;
  extendedHours: boolean;
  /**
   * The engine version that created the deployment (absent in journals from before it was recorded). A resume
   * replays the journal through this engine; when that gives other orders, the error names both versions.
   */
  engineVersion?: string;
}

/** A broker's news about one order, as applied: only executions not applied before. */
export interface OrderUpdate {
  clientOrderId: string;
  executions: Execution[];
  status: 'open' | 'partial' | 'filled' | 'cancelled' | 'expired' | 'rejected' | 'pending';
  reason: string | null;
  /** Which exit of a one-cancels-other exit order filled. */
  exitReason?: ExitLeg['reason'];
  /** An exit the broker placed for the position of order `parent` (a leg): booked as that exit's order. */
  leg?: ExitLeg;
}

export interface ExitLeg {
  parent: string;
  reason: 'stop' | 'target' | 'trail' | 'time';
  qty: number;
  stopPrice: number | null;
  limitPrice: number | null;
}

export interface Intent {
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  /** Beyond a market order (absent: market). */
  spec?: OrderSpec;
}

/**
 * The deployment's state is its journal: every entry is appended (and made durable) before the action it
 * allows. A resume replays the journal through a fresh kernel; the run is deterministic, so the same bars and
 * broker updates rebuild the same books, signals and orders — and the same client order ids, which the
 * replay checks against the recorded intents.
 */
export type JournalEntry =
  | { type: 'deployment'; config: DeploymentConfig }
  /** One completed timestamp: the bars, the broker updates applied at its start, the orders it created. */
  | { type: 'step'; time: number; bars: LiveBar[]; updates: OrderUpdate[]; intents: Intent[]; refusal: string | null }
  /** Broker updates applied between bars (while settling). */
  | { type: 'updates'; time: number; updates: OrderUpdate[]; intents: Intent[] }
  | { type: 'sent'; clientOrderId: string; brokerId: string }
  | { type: 'refused'; clientOrderId: string; reason: string }
  /** The outcome of a send is unknown (timeout, 5xx, lost connection): look up before anything else. */
  | { type: 'unknown'; clientOrderId: string }
  /** Reconciliation adopted the broker's numbers. */
  | { type: 'adjust'; time: number; cash: number | null; positions: { symbol: string; qty: number; price: number }[] }
  | { type: 'control'; time: number; action: 'pause' | 'resume' | 'kill'; intents: Intent[] }
  /** The exchange's sessions the broker's calendar gave (a time exit at the session close reads them). */
  | { type: 'sessions'; sessions: Session[] }
  | { type: 'event'; event: LiveEvent };

export interface Journal {
  read(): Promise<JournalEntry[]>;
  /** Resolves once the entries are durable. */
  append(entries: readonly JournalEntry[]): Promise<void>;
}

/** A journal in memory (tests, and the worker's copy before IndexedDB is written). */
export class MemoryJournal implements Journal {
  readonly entries: JournalEntry[] = [];
  async read(): Promise<JournalEntry[]> {
    return structuredClone(this.entries);
  }
  async append(entries: readonly JournalEntry[]): Promise<void> {
    this.entries.push(...structuredClone(entries as JournalEntry[]));
  }
}
