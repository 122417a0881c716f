/**
 * npm run live -- --strategy <file> --broker alpaca|tradier|tradestation|sim [--paper] [--trading-url URL] [--data-url URL] [--auth-url URL]
 *   [--proxy URL] --state <dir> [--poll-ms N] [--max-steps N] [--json] [--no-streams] [--data <csv | dir>]
 *   [--max-order-notional N] [--max-orders-per-day N] [--max-daily-loss N] [--confirm-account ID]
 *   [--kill [--flatten]] [--series <csv file | directory> [--series-lag DURATION]]
 *
 * Keys come from the broker's usual environment variables (APCA_API_KEY_ID, APCA_API_SECRET_KEY; TRADIER_TOKEN,
 * TRADIER_ACCOUNT_ID; TRADESTATION_CLIENT_ID, TRADESTATION_CLIENT_SECRET, TRADESTATION_REFRESH_TOKEN,
 * TRADESTATION_ACCOUNT_ID); the proxy's token from PROXY_TOKEN. Restarting with the same --state resumes the deployment; Ctrl-C stops
 * after the current tick with the state saved.
 */
import { WebSocket } from 'ws';
import type { WebSocketLike } from '../live/alpaca-stream.ts';
import { alpacaBroker, embeddedFor, tradestationBroker, tradierBroker } from '../live/connect.ts';
import type { Broker } from '../live/broker.ts';
import type { LiveEvent } from '../live/events.ts';
import type { RiskGuards } from '../live/guards.ts';
import { FileJournal } from '../live/node/file-journal.ts';
import { openPractice } from '../live/practice.ts';
import { LiveProcessor } from '../live/processor.ts';
import { runLoop, timerSleep } from '../live/runner.ts';
import { loadEmbeddedBars } from '../data/node/index.ts';
import { clampPoll } from '../lib/poll-floor.ts';
import type { BarColumns, StrategyDocument } from '../schema/index.ts';
import { parseArgs, UsageError } from './args.ts';
import { actionsFromFlags, DetailedUsageError, loadBars, readDocument, seriesFromFlags } from './inputs.ts';

export const USAGE = 'usage: npm run live -- --strategy <file> --broker alpaca|tradier|tradestation|sim [--paper] [--trading-url URL] [--data-url URL] [--auth-url URL] [--proxy URL] --state <dir> [--poll-ms N] [--max-steps N] [--json] [--no-streams] [--data <csv | dir>] [--max-order-notional N] [--max-orders-per-day N] [--max-daily-loss N] [--confirm-account ID] [--kill [--flatten]] [--series <csv file | directory> [--series-lag 35d]] [--actions <csv file | directory> (with --broker sim)]';

const FLAGS = {
  strategy: 'string', broker: 'string', paper: 'boolean', 'trading-url': 'string', 'data-url': 'string', 'auth-url': 'string', proxy: 'string',
  state: 'string', 'poll-ms': 'number', 'max-steps': 'number', json: 'boolean', data: 'string',
  'max-order-notional': 'number', 'max-orders-per-day': 'number', 'max-daily-loss': 'number', 'confirm-account': 'string',
  kill: 'boolean', flatten: 'boolean', series: 'string', 'series-lag': 'string', 'no-streams': 'boolean', actions: 'string',
} as const;

export interface LiveCliEnv {
  env: Record<string, string | undefined>;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Set to true (Ctrl-C) to stop after the current tick. */
  stop?: { stopped: boolean };
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export async function liveCli(argv: readonly string[], io: LiveCliEnv): Promise<number> {
  let broker: Broker | null = null;
  try {
    const f = parseArgs(argv, FLAGS);
    if (!f.state) throw new UsageError(`--state <dir> is required\n${USAGE}`);
    const brokerName = f.broker ?? 'sim';
    if (!['alpaca', 'tradier', 'tradestation', 'sim'].includes(brokerName)) throw new UsageError(`--broker must be alpaca, tradier, tradestation or sim, got "${brokerName}"`);
    for (const k of ['poll-ms', 'max-steps', 'max-order-notional', 'max-orders-per-day', 'max-daily-loss'] as const) {
      if (f[k] !== undefined && !(f[k]! >= 0)) throw new UsageError(`--${k} must be ≥ 0`);
    }
    const guards: RiskGuards = {
      ...(f['max-order-notional'] !== undefined ? { maxOrderNotional: f['max-order-notional'] } : {}),
      ...(f['max-orders-per-day'] !== undefined ? { maxOrdersPerDay: f['max-orders-per-day'] } : {}),
      ...(f['max-daily-loss'] !== undefined ? { maxDailyLoss: f['max-daily-loss'] } : {}),
    };
    const journal = new FileJournal(f.state);
    const resuming = (await journal.read()).length > 0;
    if (!resuming && !f.strategy) throw new UsageError(`--strategy is required to create a deployment in ${f.state}\n${USAGE}`);
    const doc: StrategyDocument | null = f.strategy ? readDocument(f.strategy) : null;
    const series = await seriesFromFlags(f, io.err);
    if (f.actions && brokerName !== 'sim') {
      // A broker applies splits and dividends to the account itself, and its feed's bars are raw: adjusting live
      // history from a file is not built (Alpaca's corporate-actions data through the adapters: later).
      throw new UsageError('--actions works with --broker sim (practice on recorded data) only; a live broker applies corporate actions to the account itself');
    }
    const docForActions = doc ?? (await journal.read()).find((e) => e.type === 'deployment')?.config.doc;
    const actions = f.actions && docForActions ? actionsFromFlags({ actions: f.actions }, docForActions, io.err) : undefined;
    const emit = (e: LiveEvent) => { if (f.json) io.out(JSON.stringify(e)); else if (e.type !== 'bar') io.out(human(e)); };
    const stop = io.stop ?? { stopped: false };
    const sleep = io.sleep ?? timerSleep;

    let lp: LiveProcessor;
    let tick: () => Promise<number>;
    // Practice replays recorded bars: once they are all stepped the run is over (it looped for ever before).
    let exhausted = false;
    if (brokerName === 'sim') {
      const entries = await journal.read();
      const first = entries[0];
      const d = first?.type === 'deployment' ? first.config.doc : doc!;
      let bars: BarColumns[];
      if (f.data) bars = await loadBars(f.data, {}, io.err);
      else {
        const e = embeddedFor(d, await loadEmbeddedBars());
        if (e.note) io.err(`note: ${e.note}`);
        bars = e.bars;
      }
      const practice = await openPractice(d, { bars, series, ...(actions ? { actions } : {}) }, { journal, guards, emit });
      lp = practice.processor;
      tick = async () => {
        if (await practice.advance()) return 1;
        exhausted = true;
        return 0;
      };
    } else {
      broker = brokerName === 'tradier' ? tradier(f, io.env) : brokerName === 'tradestation' ? tradestation(f, io.env, io.err) : alpaca(f, io.env);
      lp = await LiveProcessor.open({ broker, journal, create: doc ? { doc, mode: f.paper ? 'paper' : 'live', guards } : undefined, emit, series });
      if (!resuming && !f.paper && f['confirm-account'] !== lp.config.accountId) {
        throw new UsageError(`live trading needs --confirm-account naming the account it trades (${lp.config.accountId}); use --paper for paper trading`);
      }
      tick = () => lp.tick();
    }
    if (f.kill) {
      await lp.kill(!!f.flatten);
      io.err(`killed: paused, open orders cancelled${f.flatten ? ', positions flattened' : ''}`);
      return 0;
    }
    // A broker's rate limit sets the shortest poll interval; a shorter --poll-ms is raised to it, with the reason.
    const poll = clampPoll(f['poll-ms'] ?? (brokerName === 'sim' ? 0 : 60_000), broker?.rateLimits, lp.kernel.plan.assets.length);
    if (poll.clamped) io.err(`note: --poll-ms ${f['poll-ms']} is below the minimum, polling every ${poll.ms / 1000} s: ${poll.reason}`);
    const streaming = broker;
    const r = await runLoop({
      tick, poll: () => lp.poll(), busy: () => lp.busy(), pollMs: poll.ms,
      maxSteps: f['max-steps'], stopped: () => stop.stopped, exhausted: () => exhausted, sleep,
      ...(streaming?.onBar ? { wake: (f: () => void) => streaming.onBar!(f) } : {}),
    });
    const res = lp.result();
    const summary = { steps: r.steps, settled: r.settled, equity: lp.kernel.portfolio.equity(), orders: res.orders.length, trades: res.trades.length, openOrders: lp.venue.active().length };
    const div = lp.divergence();
    if (f.json) {
      io.out(JSON.stringify({ type: 'divergence', ...div }));
      io.out(JSON.stringify({ type: 'summary', ...summary }));
    } else {
      io.out(`divergence from the backtest of the same bars: ${div.decisionDays} day(s) with different decisions; mean fill slippage against the model ${Number.isNaN(div.meanSlippageBps) ? 'n/a' : `${div.meanSlippageBps.toFixed(1)} bps`}; final equity ${div.finalEquityLive.toFixed(2)} live vs ${div.finalEquityBacktest.toFixed(2)} backtest`);
    }
    if (!f.json) io.out(`${r.steps} bar(s) stepped; equity ${summary.equity.toFixed(2)}; ${summary.orders} order(s), ${summary.trades} trade(s)${summary.openOrders ? `; ${summary.openOrders} order(s) still open` : ''}; state in ${f.state}`);
    return 0;
  } catch (e) {
    io.err(`error: ${(e as Error).message.split('\n')[0]}`);
    if (e instanceof UsageError && (e.message.includes('\n'))) io.err(e.message.split('\n').slice(1).join('\n'));
    if (e instanceof DetailedUsageError) io.err(e.detail);
    return e instanceof UsageError ? 2 : 1;
  } finally {
    broker?.close?.();
  }
}

/** Alpaca with its streams (order updates, minute bars) in front of REST, unless --no-streams: then REST polling only. */
function alpaca(f: { paper?: boolean; 'trading-url'?: string; 'data-url'?: string; proxy?: string; 'no-streams'?: boolean }, env: Record<string, string | undefined>): Broker {
  const keyId = env.APCA_API_KEY_ID, secretKey = env.APCA_API_SECRET_KEY;
  if (!keyId || !secretKey) throw new UsageError('set APCA_API_KEY_ID and APCA_API_SECRET_KEY for --broker alpaca');
  const streams = f['no-streams'] ? {} : { streams: { socket: (url: string) => new WebSocket(url, { followRedirects: false, maxPayload: 16 * 1024 * 1024 }) as unknown as WebSocketLike } };
  return alpacaBroker({ paper: !!f.paper, keyId, secretKey, proxyUrl: f.proxy, proxyToken: env.PROXY_TOKEN, tradingUrl: f['trading-url'], dataUrl: f['data-url'], ...streams });
}

/** Tradier: --paper is the sandbox; TRADIER_TOKEN (TRADIER_SANDBOX_TOKEN accepted for the sandbox) and TRADIER_ACCOUNT_ID; --trading-url overrides the base URL. */
function tradier(f: { paper?: boolean; 'trading-url'?: string; proxy?: string }, env: Record<string, string | undefined>): Broker {
  const token = (f.paper ? env.TRADIER_SANDBOX_TOKEN ?? env.TRADIER_TOKEN : env.TRADIER_TOKEN) ?? '';
  const accountId = env.TRADIER_ACCOUNT_ID;
  const vault = !!f.proxy && !!env.PROXY_TOKEN;
  if (!accountId || (!token && !vault)) throw new UsageError('set TRADIER_TOKEN and TRADIER_ACCOUNT_ID for --broker tradier (the token may stay in a vault-mode proxy: --proxy with PROXY_TOKEN)');
  return tradierBroker({ sandbox: !!f.paper, token, accountId, proxyUrl: f.proxy, proxyToken: env.PROXY_TOKEN, url: f['trading-url'] });
}

/**
 * TradeStation: --paper is the simulator. TRADESTATION_ACCOUNT_ID, and by where the OAuth client lives: directly,
 * TRADESTATION_CLIENT_ID, TRADESTATION_CLIENT_SECRET and TRADESTATION_REFRESH_TOKEN; through a relay-mode proxy
 * (which holds the client id and secret) the refresh token only; through a vault-mode proxy (PROXY_TOKEN) nothing
 * else. --trading-url overrides the API's base URL, --auth-url the sign-in server's.
 */
function tradestation(f: { paper?: boolean; 'trading-url'?: string; 'auth-url'?: string; proxy?: string }, env: Record<string, string | undefined>, err: (s: string) => void): Broker {
  const accountId = env.TRADESTATION_ACCOUNT_ID;
  const vault = !!f.proxy && !!env.PROXY_TOKEN;
  const refreshToken = env.TRADESTATION_REFRESH_TOKEN;
  const direct = !f.proxy;
  if (!accountId || (!vault && !refreshToken) || (direct && !(env.TRADESTATION_CLIENT_ID && env.TRADESTATION_CLIENT_SECRET))) {
    throw new UsageError('set TRADESTATION_ACCOUNT_ID, and TRADESTATION_CLIENT_ID, TRADESTATION_CLIENT_SECRET and TRADESTATION_REFRESH_TOKEN for --broker tradestation (through --proxy the client id and secret stay in the proxy; with PROXY_TOKEN the refresh token too)');
  }
  return tradestationBroker({
    sim: !!f.paper, accountId, ...(vault ? {} : { refreshToken }), ...(direct ? { clientId: env.TRADESTATION_CLIENT_ID, clientSecret: env.TRADESTATION_CLIENT_SECRET } : {}),
    proxyUrl: f.proxy, proxyToken: env.PROXY_TOKEN, url: f['trading-url'], authUrl: f['auth-url'],
    // A rotated refresh token is kept for this run only: printing or storing it would leak it (docs/LIVE.md).
    onRefreshToken: () => err('note: TradeStation rotated the refresh token; this run uses the new one, a restart needs a fresh sign-in (or a vault-mode proxy)'),
  });
}

function day(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z') : '-';
}

/** One line per event for people; --json prints the events themselves. */
export function human(e: LiveEvent): string {
  switch (e.type) {
    case 'bar': return `${day(e.time)} bar ${e.symbols.join(' ')}`;
    case 'signal': return `${day(e.time)} signal ${e.signal.strategyId}: ${e.signal.action}${e.signal.message ? ` "${e.signal.message}"` : ''}`;
    case 'order': return `${day(e.time)} order ${e.state} ${e.side} ${e.qty} ${e.symbol} (${e.clientOrderId})`;
    case 'fill': return `${day(e.time)} fill ${e.side} ${e.qty} ${e.symbol} @ ${e.price}${e.fee ? ` fee ${e.fee.toFixed(2)}` : ''}`;
    case 'order-done': return `${day(e.time)} order ${e.record.status} ${e.record.symbol} (${e.clientOrderId})${e.record.reason ? `: ${e.record.reason}` : ''}`;
    case 'reconcile': return `${day(e.time)} reconcile ${e.what}: expected ${e.expected}, broker has ${e.actual} (adopted)`;
    case 'guard': return `${day(e.time)} refused ${e.symbol}: ${e.reason}`;
    case 'control': return `${day(e.time)} ${e.action}: ${e.detail}`;
    case 'error': return `${day(e.time)} error in ${e.where}: ${e.message}`;
    case 'stream': return `${day(e.time)} ${e.message}`;
  }
}

if (process.argv[1]?.endsWith('live.ts')) {
  const stop = { stopped: false };
  process.on('SIGINT', () => {
    if (stop.stopped) process.exit(130);
    stop.stopped = true;
    console.error('stopping after this tick (state is saved); Ctrl-C again to abort now');
  });
  process.exitCode = await liveCli(process.argv.slice(2), { env: process.env, out: (s) => console.log(s), err: (s) => console.error(s), stop });
}
