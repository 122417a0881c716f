import type { Explanation } from '../../engine/index.ts';
import { wallClock, type Clock } from '../../lib/clock.ts';
import { pollFloor, type PollFloor } from '../../lib/poll-floor.ts';
import type { BarColumns, OrderRecord, RunResult, SignalEvent, StrategyDocument } from '../../schema/index.ts';
import type { Broker } from '../broker.ts';
import type { WebSocketLike } from '../alpaca-stream.ts';
import { saveKeys, loadKeys, type KeyKind } from '../../lib/broker-keys.ts';
import { alpacaBroker, embeddedFor, tradestationBroker, tradierBroker, type AlpacaConnection, type AlpacaStreamsSetting, type TradeStationConnection, type TradierConnection } from '../connect.ts';
import type { DivergenceReport } from '../divergence.ts';
import type { LiveEvent } from '../events.ts';
import type { RiskGuards } from '../guards.ts';
import { openPractice, type Practice } from '../practice.ts';
import { LiveProcessor } from '../processor.ts';
import { appendEvents, deleteDeployment, getDeployment, IdbJournal, listDeployments, putDeployment, readEvents, type DeploymentRecord } from './idb-journal.ts';

export type { DeploymentRecord } from './idb-journal.ts';
export type { AlpacaConnection, TradierConnection } from '../connect.ts';

/** TradeStation from a page: the refresh token at most (the OAuth client id and secret stay in the proxy). */
export type PageTradeStationConnection = Omit<TradeStationConnection, 'clientId' | 'clientSecret' | 'onRefreshToken' | 'authUrl'>;

/**
 * How the worker reaches a broker: plain data (it crosses to the worker). An Alpaca connection may omit `broker`
 * (deployments made before the other brokers). Keys live only in the worker's memory once they arrive.
 */
export type BrokerConnection =
  | ({ broker?: 'alpaca' } & AlpacaConnection)
  | ({ broker: 'tradier' } & TradierConnection)
  | ({ broker: 'tradestation' } & PageTradeStationConnection);

/** Paper (Alpaca paper, Tradier sandbox, TradeStation simulator) or live. */
export function isPaper(c: BrokerConnection): boolean {
  return c.broker === 'tradier' ? c.sandbox : c.broker === 'tradestation' ? c.sim : c.paper;
}

/** The account kind (and the adapter's name) a connection trades. */
export function kindOf(c: BrokerConnection): KeyKind {
  const paper = isPaper(c);
  return c.broker === 'tradier' ? (paper ? 'tradier-sandbox' : 'tradier-live') : c.broker === 'tradestation' ? (paper ? 'tradestation-sim' : 'tradestation-live') : paper ? 'alpaca-paper' : 'alpaca-live';
}

export interface DeployRequest {
  doc: StrategyDocument;
  mode: DeploymentRecord['mode'];
  guards: RiskGuards;
  /** Practice: milliseconds between timestamps (0: as fast as it goes). Paper/live: how often to poll the broker. */
  intervalMs: number;
  /** Paper and live only. */
  connection?: BrokerConnection;
  /** Live only: the account number the user typed; it must be the account the keys trade. */
  confirmAccount?: string;
}

/** What the Live page shows of one deployment. Never holds a key. */
export interface LiveSnapshot {
  record: DeploymentRecord;
  /** This worker runs it (it has the data, and for a broker the keys). */
  attached: boolean;
  running: boolean;
  paused: boolean;
  /** The deployment's clock: the last step's bar time (-Infinity before the first). */
  time: number;
  /** Practice: timestamps replayed of the data's total. */
  progress: { done: number; total: number } | null;
  cash: number;
  equity: number;
  positions: { symbol: string; qty: number; avgPrice: number; mark: number; value: number }[];
  openOrders: { clientOrderId: string; symbol: string; side: 'buy' | 'sell'; qty: number; state: string }[];
  /** The last orders (newest last), with fills, rejections and guard refusals as the kernel records them. */
  orders: OrderRecord[];
  orderCount: number;
  /** The last signals with their condition traces. */
  signals: SignalEvent[];
  signalCount: number;
  /** The audit without bars and signals: orders sent, fills, reconciliation, guard refusals, controls, errors. */
  events: LiveEvent[];
  /** Why the practice data differ from the document's (a symbol played by the S&P 500 index). */
  note: string | null;
  /** The last error that stopped the run (a failed journal write, a replay that does not match). */
  failure: string | null;
  /** Paper/live: the shortest poll interval the broker's rate limit allows, and why (null: practice). */
  pollFloor: PollFloor | null;
}

export interface LiveServiceDeps {
  /** The embedded bars practice replays. */
  practiceBars(): Promise<BarColumns[]>;
  sleep?: (ms: number) => Promise<void>;
  /** When a deployment is created (its record's createdAt and id); the wall clock by default. */
  clock?: Clock;
}

export interface LiveApi {
  list(): Promise<DeploymentRecord[]>;
  /** The account the keys trade (for the live confirmation). */
  account(c: BrokerConnection): Promise<{ id: string; cash: number; equity: number }>;
  /** Creates a deployment, journals it and starts it. */
  deploy(r: DeployRequest): Promise<DeploymentRecord>;
  /** Opens a deployment from its journal (after a reload); starts it again if it was running. */
  attach(id: string, connection?: BrokerConnection): Promise<LiveSnapshot>;
  snapshot(id: string): Promise<LiveSnapshot>;
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  setInterval(id: string, ms: number): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  kill(id: string, flatten: boolean): Promise<void>;
  result(id: string): Promise<RunResult>;
  divergence(id: string): Promise<DivergenceReport>;
  explain(id: string, time: number): Promise<Explanation[]>;
  remove(id: string): Promise<void>;
  /** Called (with the deployment id) after each tick and control; the page re-reads its snapshot. */
  watch(onChange: (id: string) => void): void;
}

interface Running {
  record: DeploymentRecord;
  lp: LiveProcessor;
  practice: Practice | null;
  broker: Broker | null;
  allowsReversal: boolean;
  note: string | null;
  events: LiveEvent[];
  pending: LiveEvent[];
  loop: Promise<void> | null;
  running: boolean;
  /** Controls and ticks run one at a time. */
  queue: Promise<unknown>;
  failure: string | null;
  wake: () => void;
  pollFloor: PollFloor | null;
}

const KEEP_EVENTS = 500;
const SHOWN = 200;

/**
 * The live worker's logic (workers/live.worker.ts exposes it): deployments journaled in IndexedDB, each run
 * by a loop off the page's thread — a practice replay on the embedded data at a chosen speed, or Alpaca
 * polled through the proxy. Keys live only in this worker's memory while a deployment is attached.
 */
export function createLiveService(deps: LiveServiceDeps): LiveApi {
  const open = new Map<string, Running>();
  const watchers: ((id: string) => void)[] = [];
  const clock = deps.clock ?? wallClock;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const notify = (id: string) => { for (const w of watchers) w(id); };

  const get = (id: string): Running => {
    const d = open.get(id);
    if (!d) throw new Error(`deployment ${id} is not open in this tab: open it first`);
    return d;
  };

  /** Runs `f` after whatever the deployment is doing, so a control never interleaves with a tick. */
  const serial = <T>(d: Running, f: () => Promise<T>): Promise<T> => {
    const p = d.queue.then(f);
    d.queue = p.catch(() => undefined);
    return p;
  };

  const flush = async (d: Running) => {
    const batch = d.pending.splice(0);
    if (batch.length === 0) return;
    d.events.push(...batch);
    if (d.events.length > KEEP_EVENTS) d.events.splice(0, d.events.length - KEEP_EVENTS);
    await appendEvents(d.record.id, batch);
  };

  const save = async (d: Running, state: DeploymentRecord['state']) => {
    d.record = { ...d.record, state };
    await putDeployment(d.record);
  };

  const loop = async (d: Running) => {
    while (d.running) {
      try {
        const more = await serial(d, async () => {
          let going = true;
          if (d.practice) going = await d.practice.advance();
          else await d.lp.tick();
          await flush(d);
          return going;
        });
        notify(d.record.id);
        if (!more) {
          d.running = false;
          await save(d, 'ended');
          notify(d.record.id);
          break;
        }
      } catch (e) {
        // A journal that cannot be written or a state that does not replay: stop rather than trade blind.
        d.failure = (e as Error).message;
        d.running = false;
        await save(d, 'stopped').catch(() => undefined);
        notify(d.record.id);
        break;
      }
      if (d.record.intervalMs > 0 && d.running) {
        await Promise.race([sleep(d.record.intervalMs), new Promise<void>((r) => { d.wake = r; })]);
      }
    }
    d.loop = null;
  };

  const start = async (d: Running) => {
    if (d.record.state === 'ended') return;
    d.running = true;
    d.failure = null;
    await save(d, 'running');
    d.loop ??= loop(d);
    notify(d.record.id);
  };

  const connectionFor = (mode: DeploymentRecord['mode'], c: BrokerConnection | undefined, record: DeploymentRecord | null): Broker => {
    if (!c) throw new Error(`a ${mode} deployment needs a broker connection (its keys)`);
    if (isPaper(c) !== (mode === 'paper')) throw new Error(`the connection is for ${isPaper(c) ? 'paper' : 'live'} trading, the deployment is ${mode}`);
    if (record && record.broker !== kindOf(c)) throw new Error(`the connection is for ${kindOf(c)}, the deployment trades at ${record.broker}`);
    return brokerOf(c);
  };

  const openRunning = async (id: string, create: DeployRequest | null, connection: BrokerConnection | undefined, record: DeploymentRecord | null): Promise<Running> => {
    const emitTo: { d: Running | null } = { d: null };
    const emit = (e: LiveEvent) => { if (e.type !== 'bar' && e.type !== 'signal') emitTo.d?.pending.push(e); };
    const entries = await new IdbJournal(id).read();
    const first = entries[0];
    const mode = create?.mode ?? (first?.type === 'deployment' ? first.config.mode : record?.mode ?? 'practice');
    const journal = new IdbJournal(id, mode === 'practice' ? 'relaxed' : 'strict');
    const doc = create?.doc ?? (first?.type === 'deployment' ? first.config.doc : null);
    if (!doc) throw new Error(`deployment ${id} has no journal in this browser`);
    let practice: Practice | null = null, broker: Broker | null = null, note: string | null = null, lp: LiveProcessor;
    if (mode === 'practice') {
      const e = embeddedFor(doc, await deps.practiceBars());
      note = e.note;
      practice = await openPractice(doc, { bars: e.bars }, { journal, guards: create?.guards, emit, id });
      lp = practice.processor;
    } else {
      broker = connectionFor(mode, connection, record);
      if (create && mode === 'live') {
        const account = await broker.account();
        if ((create.confirmAccount ?? '').trim() !== account.id) throw new Error(`live trading needs the confirmation to name the account these keys trade (${account.id}); nothing was deployed`);
      }
      lp = await LiveProcessor.open({ broker, journal, create: create ? { doc, mode, guards: create.guards, id } : undefined, emit });
    }
    const cfg = lp.config;
    let rec: DeploymentRecord = record ?? {
      id, name: doc.name, mode: cfg.mode, broker: cfg.broker, accountId: cfg.accountId, createdAt: clock.now(), state: 'stopped', intervalMs: create?.intervalMs ?? 0,
      ...(connection && connection.broker !== 'tradier' && connection.broker !== 'tradestation' && connection.useStreams === false ? { streams: false } : {}),
    };
    // Never poll faster than the broker's rate limit allows (a record from before the floor is raised too).
    const floor = broker ? pollFloor(broker.rateLimits, lp.kernel.plan.assets.length) : null;
    if (floor && rec.intervalMs < floor.ms) rec = { ...rec, intervalMs: floor.ms };
    const d: Running = {
      record: rec, pollFloor: floor, lp, practice, broker, note, events: await readEvents(id, KEEP_EVENTS), pending: [], loop: null, running: false,
      allowsReversal: broker ? broker.allowsReversal : true, queue: Promise.resolve(), failure: null, wake: () => {},
    };
    emitTo.d = d;
    // A bar the stream completed ends the wait between ticks (a streamed bar is stepped without waiting for the poll).
    broker?.onBar?.(() => d.wake());
    open.set(id, d);
    await putDeployment(d.record);
    return d;
  };

  const snapshot = (d: Running): LiveSnapshot => {
    const k = d.lp.kernel, p = k.portfolio;
    const positions: LiveSnapshot['positions'] = [];
    k.plan.assets.forEach((symbol, a) => {
      const qty = p.qty[a]!;
      if (qty !== 0) positions.push({ symbol, qty, avgPrice: p.avgPrice[a]!, mark: p.mark[a]!, value: qty * p.mark[a]! });
    });
    return {
      record: d.record,
      attached: true,
      running: d.running,
      paused: d.lp.venue.paused,
      time: k.time,
      progress: d.practice ? { done: d.practice.market.position, total: d.practice.market.length } : null,
      cash: p.cash,
      equity: p.equity(),
      positions,
      openOrders: [...d.lp.venue.active(), ...d.lp.venue.resting()].map((t) => ({ clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty, state: t.state })),
      orders: k.orders.slice(-SHOWN),
      orderCount: k.orders.length,
      signals: k.signals.slice(-50),
      signalCount: k.signals.length,
      events: d.events.slice(-SHOWN),
      note: d.note,
      failure: d.failure,
      pollFloor: d.pollFloor,
    };
  };

  return {
    list: () => listDeployments(),

    async account(c) {
      const b = brokerOf(c);
      try {
        const a = await b.account();
        return { id: a.id, cash: a.cash, equity: a.equity };
      } finally {
        b.close?.();
      }
    },

    async deploy(r) {
      const id = `d${clock.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      let d: Running;
      try {
        d = await openRunning(id, r, r.connection, null);
      } catch (e) {
        await deleteDeployment(id).catch(() => undefined);
        open.delete(id);
        throw e;
      }
      await start(d);
      return d.record;
    },

    async attach(id, connection) {
      const known = open.get(id);
      if (known) return snapshot(known);
      const record = await getDeployment(id);
      if (!record) throw new Error(`no deployment ${id} in this browser`);
      const d = await openRunning(id, null, connection, record);
      if (record.state === 'running') await start(d);
      return snapshot(d);
    },

    snapshot: async (id) => snapshot(get(id)),

    start: (id) => start(get(id)),

    async stop(id) {
      const d = get(id);
      d.running = false;
      d.wake();
      await d.loop;
      if (d.record.state !== 'ended') await save(d, 'stopped');
      notify(id);
    },

    async setInterval(id, ms) {
      const d = get(id);
      if (!(ms >= 0)) throw new Error('the interval must be ≥ 0 ms');
      d.record = { ...d.record, intervalMs: Math.max(ms, d.pollFloor?.ms ?? 0) };
      await putDeployment(d.record);
      d.wake();
      notify(id);
    },

    async pause(id) {
      const d = get(id);
      await serial(d, async () => { await d.lp.pause(); await flush(d); });
      notify(id);
    },

    async resume(id) {
      const d = get(id);
      await serial(d, async () => { await d.lp.resume(); await flush(d); });
      notify(id);
    },

    async kill(id, flatten) {
      const d = get(id);
      await serial(d, async () => { await d.lp.kill(flatten); await flush(d); });
      notify(id);
    },

    result: async (id) => get(id).lp.result(),
    divergence: async (id) => get(id).lp.divergence(),

    async explain(id, time) {
      const d = get(id);
      return LiveProcessor.explain(await new IdbJournal(id).read(), time, d.allowsReversal);
    },

    async remove(id) {
      const d = open.get(id);
      if (d) {
        if (d.running || (d.record.mode !== 'practice' && d.lp.busy())) throw new Error('stop the deployment (and let its open orders settle or kill it) before deleting it');
        d.broker?.close?.();
        open.delete(id);
      }
      await deleteDeployment(id);
    },

    watch(onChange) {
      watchers.push(onChange);
    },
  };
}

/** The adapter for a connection; a refresh token TradeStation rotates is saved on this device (the old one no longer works). */
function brokerOf(c: BrokerConnection): Broker {
  if (c.broker === 'tradier') return tradierBroker(c);
  if (c.broker === 'tradestation') {
    const kind = kindOf(c);
    return tradestationBroker({
      ...c,
      onRefreshToken: (refreshToken) => {
        void loadKeys(kind).then((k) => saveKeys(kind, { ...k, accountId: c.accountId, refreshToken })).catch(() => undefined);
      },
    });
  }
  return alpacaBroker(withStreams(c));
}

/** The browser's own WebSocket opens the streams unless the connection turns them off (or there is none). */
function withStreams(c: AlpacaConnection): AlpacaConnection & { streams?: AlpacaStreamsSetting } {
  const WS = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (c.useStreams === false || !WS) return c;
  return { ...c, streams: { socket: (url) => new WS(url) } };
}
