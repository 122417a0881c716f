/**
 * The live worker in real Chromium: practice deployments on the embedded data, journaled in IndexedDB.
 * A "reload" here is what a reload does to the worker: it is terminated mid-run and a new one opens the
 * deployment from IndexedDB.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEmbeddedBars } from '../../../src/data/embedded/browser.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { IdbJournal } from '../../../src/live/browser/idb-journal.ts';
import type { LiveApi, LiveSnapshot } from '../../../src/live/browser/service.ts';
import { embeddedFor } from '../../../src/live/connect.ts';
import { parseDocument, type RunResult, type StrategyDocument } from '../../../src/schema/index.ts';

const workers: Worker[] = [];
function open(): Remote<LiveApi> {
  const w = new Worker(new URL('../../../workers/live.worker.ts', import.meta.url), { type: 'module', name: 'live' });
  workers.push(w);
  return wrap<LiveApi>(w);
}
afterEach(() => {
  for (const w of workers.splice(0)) w.terminate();
});

async function template(): Promise<StrategyDocument> {
  const r = parseDocument(await (await fetch('/strategies/sma-cross.json')).json());
  if (!r.ok) throw new Error('template invalid');
  // Three years of daily bars (752 steps, 40 orders, each journaled in IndexedDB) keep the test short.
  return { ...r.doc, settings: { ...r.doc.settings, range: { to: '2002-12-31' } } };
}

async function backtest(doc: StrategyDocument): Promise<RunResult> {
  return runBacktest(doc, { bars: embeddedFor(doc, await loadEmbeddedBars()).bars }, { sizing: 'signal' });
}

async function until(api: Remote<LiveApi>, id: string, ok: (s: LiveSnapshot) => boolean, ms = 90_000): Promise<LiveSnapshot> {
  const end = performance.now() + ms;
  for (;;) {
    const s = await api.snapshot(id);
    if (ok(s)) return s;
    if (s.failure) throw new Error(s.failure);
    if (performance.now() > end) throw new Error(`timed out: ${JSON.stringify({ state: s.record.state, progress: s.progress })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectSameRun(live: RunResult, bt: RunResult) {
  expect(live.orders.length).toBeGreaterThan(4);
  expect(live.signals).toEqual(bt.signals);
  expect(live.orders).toEqual(bt.orders);
  expect(live.trades).toEqual(bt.trades);
  expect(live.curves).toEqual(bt.curves);
  expect(live.stats).toEqual(bt.stats);
}

describe('live worker (practice on the embedded data)', () => {
  it('runs to completion off the main thread and equals the backtest with signal sizing (SPY played by the embedded SPX bars)', async () => {
    const spx = await template();
    const doc = { ...spx, settings: { ...spx.settings, universe: ['SPY'] } };
    const api = open();
    let changes = 0;
    await api.watch(proxy(() => { changes++; }));
    const rec = await api.deploy({ doc, mode: 'practice', guards: {}, intervalMs: 0 });
    const s = await until(api, rec.id, (x) => x.record.state === 'ended');
    expect(s.note).toMatch(/SPY is not in the embedded data/);
    expect(s.progress!.done).toBe(s.progress!.total);
    expect(changes).toBeGreaterThan(100);
    expectSameRun(await api.result(rec.id), await backtest(doc));
    expect((await api.list()).find((d) => d.id === rec.id)?.state).toBe('ended');
    await api.remove(rec.id);
  });

  it.each([1, 4])('a reload mid-run (after %i orders) resumes from IndexedDB and sends no order twice', async (n) => {
    const doc = await template();
    let api = open();
    const rec = await api.deploy({ doc, mode: 'practice', guards: {}, intervalMs: 1 });
    await until(api, rec.id, (x) => x.orderCount >= n);
    // The on-screen count can run a step ahead of the journal (a step not written yet when the page goes away:
    // nothing of it was sent; seen in CI as 4 on screen, 3 after the reload). Wait until n orders are journaled
    // as sent, so the reload happens after n orders went out.
    const sentIn = async () => (await new IdbJournal(rec.id).read()).filter((e) => e.type === 'sent').length;
    await expect.poll(sentIn, { interval: 5, timeout: 90_000 }).toBeGreaterThanOrEqual(n);
    workers.pop()!.terminate(); // the page goes away mid-run
    const sentAtReload = await sentIn();
    api = open();
    const back = await api.attach(rec.id);
    expect(back.orderCount).toBeGreaterThanOrEqual(n);
    expect(back.orderCount).toBeGreaterThanOrEqual(sentAtReload);
    expect(back.record.state).toBe('running');
    await api.setInterval(rec.id, 0);
    await until(api, rec.id, (x) => x.record.state === 'ended');
    expectSameRun(await api.result(rec.id), await backtest(doc));
    const entries = await new IdbJournal(rec.id).read();
    const sent = entries.flatMap((e) => (e.type === 'sent' ? [e.clientOrderId] : []));
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.length).toBe((await api.result(rec.id)).orders.filter((o) => o.status !== 'rejected').length);
    await api.remove(rec.id);
  });

  it('kill switch: pauses, cancels what is open, flattens, and later orders are refused "paused"', async () => {
    const doc = await template();
    const api = open();
    const rec = await api.deploy({ doc, mode: 'practice', guards: {}, intervalMs: 2 });
    await until(api, rec.id, (x) => x.positions.length > 0 && x.openOrders.length === 0);
    await api.kill(rec.id, true);
    const s = await until(api, rec.id, (x) => x.positions.length === 0 && x.openOrders.length === 0);
    expect(s.paused).toBe(true);
    const kill = s.orders.find((o) => o.strategyId === 'kill switch')!;
    expect(kill.status).toBe('filled');
    expect(s.events.some((e) => e.type === 'control' && e.action === 'kill')).toBe(true);
    await api.setInterval(rec.id, 0);
    const end = await until(api, rec.id, (x) => x.record.state === 'ended');
    const after = end.orders.filter((o) => o.createdTime > kill.createdTime && o.strategyId !== 'kill switch');
    expect(after.length).toBeGreaterThan(0);
    for (const o of after) expect(o.reason).toMatch(/paused/);
    expect(end.positions).toEqual([]);
    await api.remove(rec.id);
  });
});
