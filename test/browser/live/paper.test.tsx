/**
 * The Live page deploying to Alpaca paper in real Chromium, against the Alpaca fake the browser project starts on
 * 127.0.0.1 (alpaca-global-setup.ts: CORS, proxy-style routes, trade_updates over the browser's own WebSocket).
 * Connect (keys kept in IndexedDB only), deploy, see positions, orders and fills as the broker has them, reload
 * mid-run (the deployment carries on, nothing is sent twice), kill with flatten (the open order is cancelled at the
 * broker, the position closed). Live trading's confirmation naming the account is checked on the same fake.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { IdbJournal, listDeployments } from '../../../src/live/browser/idb-journal.ts';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { stopLiveWorker } from '../../../src/ui/live/client.ts';
import { saveKeys } from '../../../src/lib/broker-keys.ts';
import { saveProxySettings } from '../../../src/ui/settings/proxy-settings.ts';
import { cleanup } from '../ui/render.tsx';
import { freshLiveState, leaveLivePage, openLiveApp, until } from './live-app.tsx';

const FAKE = inject('alpacaFakeUrl');
const KEY = 'PKTESTKEY123';
const SECRET = 'sEcReT-do-not-leak-42';
const WARM = 20;

interface FakeState {
  clockReads: number;
  orders: { client_order_id: string; status: string; side: string; qty: number; filled_avg_price: number | null }[];
  posts: number;
  position: number;
  tradingStreams: number;
}

const control = async <T,>(what: string, body: unknown = {}): Promise<T> =>
  (await (await fetch(`${FAKE}/__control/${what}`, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
const state = () => control<FakeState>('state');

function smaCross(): StrategyDocument {
  const fast = { kind: 'sma', window: { bars: 3 } }, slow = { kind: 'sma', window: { bars: 8 } };
  const r = parseDocument({
    version: 1, name: 'sma cross paper',
    settings: { universe: ['SPY'], timeframe: '1d', initialCash: 10_000, units: 'whole', range: { from: '2024-01-21' } },
    strategies: [
      { id: 'long', name: 'long', condition: { lhs: fast, op: 'crossesAbove', rhs: slow }, action: { type: 'setWeight', weight: 1 } },
      { id: 'exit', name: 'exit', condition: { lhs: fast, op: 'crossesBelow', rhs: slow }, action: { type: 'setWeight', weight: 0 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

/** The market moves one bar, then the deployment ticks once entirely after it (two clock reads later). */
async function bar(): Promise<FakeState> {
  const before = (await state()).clockReads;
  await control('advance');
  return until(state, (s) => s.clockReads >= before + 2);
}

beforeEach(async () => {
  await freshLiveState();
  await saveKeys('alpaca-paper', null);
  await saveKeys('alpaca-live', null);
  await control('reset', { n: 60, warm: WARM });
  await saveProxySettings({ url: FAKE });
});
afterEach(async () => {
  leaveLivePage();
  await saveProxySettings(null);
});

describe('Live page against the Alpaca fake (paper)', () => {
  it('connects, deploys to paper, shows the broker\'s positions, orders and fills, survives a reload, and the kill switch cancels and flattens', async () => {
    const doc = smaCross();
    await openLiveApp(doc);
    await userEvent.click(page.getByRole('radio', { name: 'Alpaca paper' }));
    await userEvent.fill(page.getByRole('textbox', { name: 'Key id' }), KEY);
    await userEvent.fill(page.getByLabelText('Secret key'), SECRET);
    await expect.element(page.getByTestId('poll-floor')).toHaveTextContent(/^Shortest interval: Alpaca allows 200 trading API requests a minute; a tick with 1 symbol makes up to 4 .* polling every 2 s or slower/);
    // 1 s would be 240 calls a minute, above Alpaca's 200: raised to the floor, and the form says why.
    await userEvent.fill(page.getByRole('textbox', { name: /Poll the broker every/ }), '1');
    await expect.element(page.getByRole('status').filter({ hasText: /^Polls every 2 s, not 1 s: Alpaca allows 200 trading API requests a minute/ })).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Deploy to Alpaca paper' }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await expect.element(page.getByTestId('live-poll')).toHaveTextContent('every 2 s (shortest allowed 2 s');
    expect((await listDeployments())[0]!.intervalMs).toBe(2000);
    await expect.element(page.getByText('alpaca-paper, account PA3FAKE0001')).toBeVisible();
    // Order updates come by push: the worker's WebSocket (binary frames) is listening.
    await until(state, (s) => s.tradingStreams === 1);
    await expect.element(page.getByRole('table', { name: 'Audit' })).toHaveTextContent(/trade_updates stream live/);

    // Bars until the broker holds a position; the page shows what the broker has.
    let s = await state();
    for (let i = 0; i < 40 && s.position === 0; i++) s = await bar();
    expect(s.position).toBeGreaterThan(0);
    const buy = s.orders.find((o) => o.status === 'filled')!;
    await expect.element(page.getByRole('table', { name: 'Positions' })).toHaveTextContent(new RegExp(`SPY${s.position}`));
    await expect.element(page.getByRole('table', { name: 'Fills' })).toHaveTextContent(new RegExp(`${buy.client_order_id}SPYbuy${buy.qty}`));

    // Reload mid-run: the page and its worker go away; the deployment carries on with the saved keys.
    cleanup();
    stopLiveWorker();
    await openLiveApp(doc);
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await expect.element(page.getByRole('table', { name: 'Positions' })).toHaveTextContent(new RegExp(`SPY${s.position}`));

    // Until the exit signal's order is at the broker, not yet filled: then kill with flatten.
    for (let i = 0; i < 40 && !s.orders.some((o) => o.status === 'accepted'); i++) s = await bar();
    const open = s.orders.find((o) => o.status === 'accepted')!;
    expect(open.side).toBe('sell');
    await expect.element(page.getByRole('table', { name: 'Open orders' })).toHaveTextContent(open.client_order_id);
    await userEvent.click(page.getByRole('checkbox', { name: 'and flatten every position' }));
    await userEvent.click(page.getByRole('button', { name: /^Kill/ }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/paused/);
    s = await until(state, (x) => x.orders.find((o) => o.client_order_id === open.client_order_id)!.status === 'canceled' && x.posts > s.posts);
    s = await bar();
    expect(s.position).toBe(0);
    await expect.element(page.getByText('No position.')).toBeVisible();
    await expect.element(page.getByRole('table', { name: 'Audit' })).toHaveTextContent(/cancelled open orders, flattening 1 position/);

    // Never twice: every client order id once at the broker, one POST per order.
    const ids = s.orders.map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(s.posts).toBe(s.orders.length);
    await userEvent.click(page.getByRole('button', { name: 'Stop' }));

    // Keys: in IndexedDB (their own store), never in the page's address, local storage or the journal.
    const [rec] = await listDeployments();
    const journal = JSON.stringify(await new IdbJournal(rec!.id).read());
    for (const where of [location.href, JSON.stringify({ ...localStorage }), journal]) expect(where).not.toContain(SECRET);
    expect(document.body.textContent).not.toContain(SECRET);
  }, 300_000);

  it('live needs the account named: Deploy stays off until the number the keys trade is typed back', async () => {
    await openLiveApp(smaCross());
    await userEvent.click(page.getByRole('radio', { name: /Alpaca live/ }));
    await userEvent.fill(page.getByRole('textbox', { name: 'Key id' }), KEY);
    await userEvent.fill(page.getByLabelText('Secret key'), SECRET);
    const deploy = page.getByRole('button', { name: 'Deploy live' });
    await expect.element(deploy).toBeDisabled();
    await userEvent.click(page.getByRole('button', { name: 'Check the account' }));
    await expect.element(page.getByText(/PA3FAKE0001/)).toBeVisible();
    await userEvent.fill(page.getByRole('textbox', { name: 'Confirm the account number' }), 'PA3FAKE0002');
    await expect.element(deploy).toBeDisabled();
    await userEvent.fill(page.getByRole('textbox', { name: 'Confirm the account number' }), 'PA3FAKE0001');
    await expect.element(deploy).toBeEnabled();
    expect((await state()).posts).toBe(0);
  });
});
