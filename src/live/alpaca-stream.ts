/**
 * Alpaca's two WebSocket streams, browser-safe (the socket is injected: the browser's WebSocket, or `ws` in
 * Node, which has the same onopen/onmessage/onclose API):
 * - `trade_updates` on the trading API (wss://paper-api.alpaca.markets/stream, live: api.alpaca.markets):
 *   `{"action":"auth",…}` → `{"stream":"authorization","data":{"status":"authorized"}}`, then
 *   `{"action":"listen","data":{"streams":["trade_updates"]}}` → `{"stream":"listening",…}`, then one message
 *   per order event, each carrying the whole order. Paper sends binary frames, so both frame types are read.
 * - market data v2 (wss://stream.data.alpaca.markets/v2/{iex|sip}): `[{"T":"success","msg":"connected"}]`,
 *   auth → `authenticated`, `{"action":"subscribe","bars":[…]}` → `[{"T":"subscription",…}]`, then minute bars
 *   `{"T":"b","S":…,"o","h","l","c","v","t"}`; failures arrive as `[{"T":"error","code":…,"msg":…}]`.
 *
 * A stream is `live` once it is authenticated and listening/subscribed; each time it becomes live it starts a
 * new `session`. A dropped stream reconnects with exponential back-off; an answer that retrying cannot change
 * (wrong keys, a feed the plan lacks) fails it for good, and the caller polls REST instead. Nothing here ever
 * sends an order: streams only speed up what the processor reads, and REST stays the check (see StreamingAlpaca).
 */
import { wallClock } from '../lib/clock.ts';
import type { BrokerOrder, LiveBar } from './broker.ts';
import { order as parseOrder } from './alpaca.ts';

/** The part of the WebSocket API both the browser's and `ws` implement. */
export interface WebSocketLike {
  binaryType: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string) => WebSocketLike;

export type StreamName = 'trade_updates' | 'bars';
export type StreamState = 'idle' | 'connecting' | 'live' | 'down' | 'failed' | 'stopped';

/** A change of a stream's state, for the deployment's audit (never a key). */
export interface StreamNotice {
  stream: StreamName;
  state: 'live' | 'down' | 'failed';
  message: string;
}

export interface StreamOptions {
  url: string;
  keyId: string;
  secretKey: string;
  socket: SocketFactory;
  notice: (n: StreamNotice) => void;
  /** First reconnect delay; doubles up to `maxBackoffMs`, back to the first once live again. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A stream not live this long after the socket opened is closed and tried again. */
  authTimeoutMs?: number;
  /**
   * Staleness: a live stream that received nothing for this long is probed with one of Alpaca's control
   * messages (trading: `listen` again, answered by `listening`; data: `subscribe` again, answered by
   * `subscription`); still nothing for as long again and the socket is taken for half-open: closed and
   * reconnected with back-off, REST meanwhile. Default 30 s.
   */
  heartbeatMs?: number;
}

const dec = new TextDecoder();

/** A frame's text: a string (text frame) or bytes (binary frame: ArrayBuffer, a typed array or a Node Buffer). */
export function frameText(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return dec.decode(data);
  if (ArrayBuffer.isView(data)) return dec.decode(data);
  return null;
}

/** Connection, back-off and state shared by both streams; the protocol is the subclass's. */
abstract class AlpacaStream {
  state: StreamState = 'idle';
  /** Counts the times this stream became live: data from an earlier session may have gaps. */
  session = 0;
  /** Frames received, in all and on the current socket (tests wait for a fake's frames to arrive). */
  frames = 0;
  socketFrames = 0;
  /** Sockets opened. */
  connects = 0;
  protected ws: WebSocketLike | null = null;
  private backoff: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private authTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setTimeout> | null = null;
  private probed = false;
  /** Probes sent, and sockets given up as silent (half-open). */
  probes = 0;
  silences = 0;
  protected abstract readonly name: StreamName;

  constructor(protected readonly o: StreamOptions) {
    this.backoff = o.backoffMs ?? 500;
  }

  start(): void {
    if (this.state === 'idle') this.connect();
  }

  stop(): void {
    this.state = 'stopped';
    this.clearTimers();
    this.drop();
    this.changed();
  }

  get live(): boolean {
    return this.state === 'live';
  }

  protected abstract onText(text: string): void;
  /** The stream left `live` (a drop, a failure, a stop): anything waiting on it should stop waiting. */
  protected changed(): void {}
  protected abstract onOpen(): void;
  /** A control message Alpaca answers (the heartbeat's probe); its answer must not restart the session. */
  protected abstract probe(): void;

  private connect(): void {
    this.state = 'connecting';
    this.connects++;
    this.socketFrames = 0;
    let ws: WebSocketLike;
    try {
      ws = this.o.socket(this.o.url);
    } catch (e) {
      this.lost(`could not open (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`);
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.authTimer = setTimeout(() => { if (this.ws === ws && this.state !== 'live') this.lost('not live within the authentication timeout'); }, this.o.authTimeoutMs ?? 10_000);
      this.onOpen();
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.frames++;
      this.socketFrames++;
      this.probed = false;
      if (this.state === 'live') this.armHeartbeat();
      const text = frameText(ev.data);
      if (text === null) return this.garbage('a frame that is neither text nor bytes');
      this.onText(text);
    };
    ws.onclose = (ev) => { if (this.ws === ws) this.lost(`closed (code ${ev.code})`); };
    ws.onerror = () => { if (this.ws === ws) this.lost('connection error'); };
  }

  protected send(msg: unknown): void {
    this.ws?.send(JSON.stringify(msg));
  }

  /** (Re)starts the silence timer: nothing for `heartbeatMs` sends a probe, nothing for as long again drops the socket. */
  private armHeartbeat(): void {
    if (this.heartbeat !== null) clearTimeout(this.heartbeat);
    const ms = this.o.heartbeatMs ?? 30_000;
    this.heartbeat = setTimeout(() => {
      this.heartbeat = null;
      if (this.state !== 'live') return;
      if (this.probed) {
        this.silences++;
        return this.lost(`silent for ${2 * ms} ms (no answer to a probe: the connection is taken for half-open)`);
      }
      this.probed = true;
      this.probes++;
      this.probe();
      this.armHeartbeat();
    }, ms);
  }

  protected becameLive(detail: string): void {
    this.clearAuthTimer();
    this.armHeartbeat();
    this.state = 'live';
    this.session++;
    this.backoff = this.o.backoffMs ?? 500;
    this.o.notice({ stream: this.name, state: 'live', message: `${this.name} stream live${this.session > 1 ? ' again (what it missed is read by REST)' : ''}: ${detail}` });
  }

  /** A drop that a reconnect can heal: back off, then try again. */
  protected lost(why: string, minDelayMs = 0): void {
    if (this.state === 'stopped' || this.state === 'failed') return;
    this.drop();
    this.state = 'down';
    this.changed();
    const delay = Math.max(this.backoff, minDelayMs);
    this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs ?? 30_000);
    this.o.notice({ stream: this.name, state: 'down', message: `${this.name} stream ${why}; reconnecting in ${delay} ms, REST polling meanwhile` });
    this.timer = setTimeout(() => { this.timer = null; if (this.state === 'down') this.connect(); }, delay);
  }

  /** An answer retrying cannot change (wrong keys, a feed the plan lacks): polling from now on. */
  protected fail(why: string): void {
    if (this.state === 'stopped' || this.state === 'failed') return;
    this.drop();
    this.state = 'failed';
    this.clearTimers();
    this.changed();
    this.o.notice({ stream: this.name, state: 'failed', message: `${this.name} stream: ${why}; falling back to REST polling` });
  }

  /** Something that is not Alpaca's protocol: whatever it hid may be missed, so this session ends. */
  protected garbage(what: string): void {
    this.lost(`sent ${what}`);
  }

  private drop(): void {
    this.clearAuthTimer();
    if (this.heartbeat !== null) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    this.probed = false;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(); } catch { /* already closed */ }
    }
  }

  private clearAuthTimer(): void {
    if (this.authTimer !== null) clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  private clearTimers(): void {
    this.clearAuthTimer();
    if (this.heartbeat !== null) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Snapshot { order: BrokerOrder; session: number; seenAt: number }

/**
 * The trading stream: every event's order replaces what is known of it (events carry whole orders, so a later
 * event repairs any missed before it). Only simple orders are kept: an OCO's state lives in its legs, which
 * are read by REST with the parent.
 */
export class TradeUpdatesStream extends AlpacaStream {
  protected readonly name = 'trade_updates' as const;
  private readonly orders = new Map<string, Snapshot>();

  constructor(o: StreamOptions, private readonly now: () => number = () => wallClock.now()) {
    super(o);
  }

  protected onOpen(): void {
    this.send({ action: 'auth', key: this.o.keyId, secret: this.o.secretKey });
  }

  protected probe(): void {
    this.send({ action: 'listen', data: { streams: ['trade_updates'] } });
  }

  protected onText(text: string): void {
    const m = parse(text);
    if (!isObj(m) || typeof m.stream !== 'string') return this.garbage('a message that is not {"stream":…,"data":…}');
    const data = isObj(m.data) ? m.data : {};
    if (m.stream === 'authorization') {
      if (data.status === 'authorized') this.send({ action: 'listen', data: { streams: ['trade_updates'] } });
      else this.fail(`authentication failed (Alpaca answered ${JSON.stringify(String(data.status ?? 'no status').slice(0, 40))}: check the API key and whether it is a paper or a live key)`);
    } else if (m.stream === 'listening') {
      if (this.live) return; // the answer to a probe
      const streams = Array.isArray(data.streams) ? data.streams : [];
      if (streams.includes('trade_updates')) this.becameLive('order updates by push');
      else this.fail('Alpaca did not grant the trade_updates stream');
    } else if (m.stream === 'trade_updates' && this.live) {
      const raw = data.order;
      if (!isObj(raw)) return this.garbage('a trade update without an order');
      if (!simple(raw)) return;
      let o: BrokerOrder;
      try {
        o = parseOrder(raw, 'trade_updates order');
      } catch {
        return this.garbage('a trade update whose order does not parse');
      }
      this.put(o);
    }
  }

  /** An order read by REST (a submit's answer or a lookup): known as of the current session when live. */
  remember(o: BrokerOrder): void {
    if (this.live && o.exitReason === undefined && !o.legs) this.put(o);
  }

  /** The order as of this session, when the stream has been live since it was last confirmed, within `maxAgeMs`. */
  lookup(clientOrderId: string, maxAgeMs: number): BrokerOrder | null {
    const s = this.orders.get(clientOrderId);
    if (!s || !this.live || s.session !== this.session || this.now() - s.seenAt > maxAgeMs) return null;
    return s.order;
  }

  private put(o: BrokerOrder): void {
    const old = this.orders.get(o.clientOrderId);
    // A REST answer can be older than an event already here (or the reverse): never step back.
    if (old && old.session === this.session && behind(o, old.order)) return;
    this.orders.set(o.clientOrderId, { order: o, session: this.session, seenAt: this.now() });
  }
}

function simple(raw: Record<string, unknown>): boolean {
  const cls = raw.order_class;
  const legs = raw.legs;
  return (cls === undefined || cls === null || cls === '' || cls === 'simple') && (legs === undefined || legs === null || (Array.isArray(legs) && legs.length === 0));
}

const TERMINAL = new Set(['filled', 'cancelled', 'expired', 'rejected']);

/** `a` says less than `b`: fewer shares filled, or open where `b` is final. */
function behind(a: BrokerOrder, b: BrokerOrder): boolean {
  if (a.filledQty !== b.filledQty) return a.filledQty < b.filledQty;
  return TERMINAL.has(b.status) && !TERMINAL.has(a.status);
}

const MINUTE = 60_000;
/** Market-data errors after which retrying cannot help (docs: 400 invalid syntax, 401 not authenticated, 402 auth failed, 405 symbol limit, 409 insufficient subscription, 410 invalid subscribe action). */
const FATAL = new Set([400, 401, 402, 405, 409, 410]);

/**
 * The market-data stream's minute bars, for the symbols given at start. Bars of one session are complete after
 * the first bar it delivered (`coveredFrom`): that first minute may have been cut by the subscription. `updatedBars` corrections are not applied (a stepped bar is never changed; REST would have
 * given the same first print at that moment).
 */
export class BarStream extends AlpacaStream {
  protected readonly name = 'bars' as const;
  coveredFrom = Infinity;
  /** Bars received, by symbol and start time. */
  private readonly bars = new Map<string, Map<number, LiveBar>>();
  private readonly latest = new Map<string, number>();
  private waiters: (() => void)[] = [];
  /** Told of every new bar (StreamingAlpaca wakes the tick loop when one completes a bar of its timeframe). */
  onBar: ((b: LiveBar) => void) | null = null;

  constructor(o: StreamOptions, readonly symbols: readonly string[]) {
    super(o);
  }

  protected onOpen(): void {
    // Alpaca greets first; the auth follows the greeting.
  }

  protected probe(): void {
    this.send({ action: 'subscribe', bars: this.symbols });
  }

  protected onText(text: string): void {
    const list = parse(text);
    if (!Array.isArray(list)) return this.garbage('a message that is not a JSON array');
    for (const m of list) {
      if (!isObj(m)) return this.garbage('a message item that is not an object');
      if (m.T === 'success' && m.msg === 'connected') this.send({ action: 'auth', key: this.o.keyId, secret: this.o.secretKey });
      else if (m.T === 'success' && m.msg === 'authenticated') this.send({ action: 'subscribe', bars: this.symbols });
      else if (m.T === 'subscription') {
        if (this.live) continue; // the answer to a probe
        const got = Array.isArray(m.bars) ? m.bars : [];
        if (this.symbols.every((s) => got.includes(s))) {
          this.coveredFrom = Infinity;
          this.becameLive(`minute bars for ${this.symbols.join(', ')}`);
        } else this.fail(`Alpaca subscribed bars for ${JSON.stringify(got.slice(0, 10))}, not all of ${this.symbols.join(', ')}`);
      } else if (m.T === 'error') {
        const code = Number(m.code);
        const msg = `Alpaca error ${Number.isFinite(code) ? code : '?'} ${JSON.stringify(String(m.msg ?? '').slice(0, 80))}`;
        if (FATAL.has(code)) return this.fail(msg);
        // 406 connection limit exceeded: another client holds this account's one connection; wait long.
        return this.lost(msg, code === 406 ? 30_000 : 0);
      } else if (m.T === 'b' && this.live) {
        const bar = toBar(m);
        if (bar === null) return this.garbage('a bar without a symbol, a time or prices');
        this.add(bar);
      }
    }
  }

  private add(b: LiveBar): void {
    let m = this.bars.get(b.symbol);
    if (!m) this.bars.set(b.symbol, (m = new Map()));
    if (m.has(b.time)) return;
    m.set(b.time, b);
    if (b.time > (this.latest.get(b.symbol) ?? -Infinity)) this.latest.set(b.symbol, b.time);
    if (this.coveredFrom === Infinity) this.coveredFrom = b.time + 1;
    this.wake();
    this.onBar?.(b);
  }

  /** Start time of the newest bar received for `symbol` (-Infinity: none). */
  latestOf(symbol: string): number {
    return this.latest.get(symbol) ?? -Infinity;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Whether this session delivered every minute bar from `from` on (so REST is not needed for them). */
  covers(from: number): boolean {
    return this.live && this.coveredFrom <= from;
  }

  /**
   * Waits (at most `ms`) until every symbol has a bar at or after the minute holding `to`. True when they all
   * came in the same session; false on a timeout (a symbol without trades that minute) or a drop.
   */
  async waitFor(symbols: readonly string[], to: number, ms: number): Promise<boolean> {
    const target = to - (((to % MINUTE) + MINUTE) % MINUTE);
    const session = this.session;
    const done = () => symbols.every((s) => (this.latest.get(s) ?? -Infinity) >= target);
    if (done()) return true;
    let expired = false;
    const timer = setTimeout(() => { expired = true; this.wake(); }, ms);
    try {
      while (!expired && this.live && this.session === session) {
        await new Promise<void>((r) => this.waiters.push(r));
        if (done()) return this.live && this.session === session;
      }
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  protected override changed(): void {
    this.wake();
  }

  /** Bars with start time in [from, to]; older ones are forgotten. */
  range(symbols: readonly string[], from: number, to: number): LiveBar[] {
    const out: LiveBar[] = [];
    for (const s of symbols) {
      const m = this.bars.get(s);
      if (!m) continue;
      for (const [t, b] of m) {
        if (t < from) m.delete(t);
        else if (t <= to) out.push(b);
      }
    }
    return out.sort((a, b) => a.time - b.time);
  }
}

function toBar(m: Record<string, unknown>): LiveBar | null {
  const t = typeof m.t === 'string' ? Date.parse(m.t) : NaN;
  const n = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : typeof m[k] === 'string' ? Number(m[k]) : NaN);
  if (typeof m.S !== 'string' || !Number.isFinite(t)) return null;
  const bar = { symbol: m.S, time: t, open: n('o'), high: n('h'), low: n('l'), close: n('c'), volume: n('v') };
  return [bar.open, bar.high, bar.low, bar.close, bar.volume].every(Number.isFinite) ? bar : null;
}
