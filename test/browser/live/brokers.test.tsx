/**
 * The Live page connecting to Tradier and TradeStation in real Chromium, each through the real proxy in relay
 * mode to its fake on 127.0.0.1 (brokers-global-setup.ts). TradeStation's OAuth 2: the page holds the refresh
 * token only, the proxy adds the client id and secret to the exchange, and a rotated refresh token replaces the
 * saved one on this device. Deploy to the simulator / sandbox, see positions, orders and fills as the broker
 * has them, the poll floor each broker's rate limit sets, kill with flatten; keys never in the address, local
 * storage, the journal, the page text or the proxy's log. Live at each needs the account named first.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { KEY_KINDS, loadKeys, saveKeys } from '../../../src/lib/broker-keys.ts';
import { IdbJournal, listDeployments, readEvents } from '../../../src/live/browser/idb-journal.ts';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { stopLiveWorker } from '../../../src/ui/live/client.ts';
import { saveProxySettings } from '../../../src/ui/settings/proxy-settings.ts';
import { cleanup } from '../ui/render.tsx';
import { freshLiveState, leaveLivePage, openLiveApp, until } from './live-app.tsx';

const CONTROL = inject('brokersControlUrl');

interface Env { proxyUrl: string; account: string; token?: string; refreshToken?: string; clientSecret?: string; clientId?: string }
interface State {
  ticks: number;
  posts: number;
  position: number;
  orders: { id: string; status: string; side: string; qty: number }[];
  tokenRequests: number;
  refreshToken: string | null;
  sawClientSecret: boolean | null;
  proxyLog: string;
}

const control = async <T,>(what: string, body: unknown = {}): Promise<T> =>
  (await (await fetch(`${CONTROL}/${what}`, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
const state = () => control<State>('state');

/** Buys with all cash while flat: one order on the first live step. */
function buyOnce(): StrategyDocument {
  const r = parseDocument({
    version: 1, name: 'buy once',
    settings: { universe: ['SPY'], timeframe: '1d', initialCash: 10_000, units: 'whole' },
    strategies: [{ id: 'enter', name: 'enter', condition: { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 }, action: { type: 'buy', amount: { unit: 'all' } } }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

/** The market moves one bar, then the deployment ticks once entirely after it. */
async function bar(): Promise<State> {
  const before = (await state()).ticks;
  await control('advance');
  return until(state, (s) => s.ticks >= before + 2);
}

/** None of these texts anywhere the user, a link or a log could show. */
async function expectNowhere(secrets: string[]): Promise<void> {
  const recs = await listDeployments();
  const journals = await Promise.all(recs.map(async (r) => JSON.stringify(await new IdbJournal(r.id).read()) + JSON.stringify(await readEvents(r.id, 1000))));
  const s = await state();
  for (const secret of secrets) {
    for (const where of [location.href, JSON.stringify({ ...localStorage }), document.body.textContent ?? '', s.proxyLog, ...journals]) expect(where).not.toContain(secret);
  }
}

beforeEach(async () => {
  await freshLiveState();
  for (const k of KEY_KINDS) await saveKeys(k, null);
});
afterEach(async () => {
  leaveLivePage();
  await saveProxySettings(null);
  await control('stop');
});

describe('Live page: Tradier and TradeStation through the proxy', () => {
  it('TradeStation simulator: OAuth through the proxy (the page holds the refresh token only, a rotated one is saved), deploy, ticks at the broker, kill', async () => {
    const env = await control<Env>('env', { broker: 'tradestation', origin: location.origin, rotate: true });
    await saveProxySettings({ url: env.proxyUrl });
    await openLiveApp(buyOnce());
    await userEvent.click(page.getByRole('radio', { name: 'TradeStation simulator' }));
    await userEvent.fill(page.getByRole('textbox', { name: 'Account number' }), env.account);
    await userEvent.fill(page.getByLabelText('Refresh token'), env.refreshToken!);
    await expect.element(page.getByTestId('poll-floor')).toHaveTextContent(/^Shortest interval: TradeStation simulator allows 250 balances requests per 5 minutes; a tick with 1 symbol makes up to 1 .* every 2 s or slower/);
    await userEvent.fill(page.getByRole('textbox', { name: /Poll the broker every/ }), '1');
    await userEvent.click(page.getByRole('button', { name: 'Deploy to TradeStation simulator' }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await expect.element(page.getByText(`tradestation-sim, account ${env.account}`)).toBeVisible();
    await expect.element(page.getByTestId('live-poll')).toHaveTextContent('every 2 s (shortest allowed 2 s');

    // TradeStation has no clock endpoint: the adapter's session clock is the worker's own Date, which a page test
    // cannot move, so outside New York's session no order may go out (as the rule says). Orders, fills and the
    // kill's flatten at TradeStation are checked in Node with an injected clock (tradestation-scenarios,
    // tradestation-cli); here: OAuth from the page, the deployment ticking at the broker, kill and stop.
    let s = await bar();
    s = await until(state, (x) => x.ticks >= s.ticks + 2 && x.tokenRequests >= 1);

    // OAuth: every exchange went through the proxy, which added the client secret the page never had; TradeStation
    // rotated the refresh token and the page's device keeps the newest (the old one no longer works).
    expect(s.sawClientSecret).toBe(true);
    await until(() => loadKeys('tradestation-sim'), (k) => k?.refreshToken === s.refreshToken);
    expect(s.refreshToken).not.toBe(env.refreshToken);
    expect((await loadKeys('tradestation-sim'))!.accountId).toBe(env.account);

    await userEvent.click(page.getByRole('button', { name: /^Kill/ }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/paused/);
    await userEvent.click(page.getByRole('button', { name: 'Stop' }));
    s = await state();
    await expectNowhere([env.clientSecret!, env.refreshToken!, s.refreshToken!, 'ts-ACCESS-']);
  }, 240_000);

  it('Tradier sandbox: token and account number, deploy, position and fills, the deployment reopens after a reload with the saved keys, kill with flatten', async () => {
    const env = await control<Env>('env', { broker: 'tradier', origin: location.origin });
    await saveProxySettings({ url: env.proxyUrl });
    const doc = buyOnce();
    await openLiveApp(doc);
    await userEvent.click(page.getByRole('radio', { name: 'Tradier sandbox' }));
    await userEvent.fill(page.getByRole('textbox', { name: 'Account number' }), env.account);
    await userEvent.fill(page.getByLabelText('Access token'), env.token!);
    // Tradier's sandbox allows 60 requests a minute per family: 4 s for one symbol.
    await expect.element(page.getByTestId('poll-floor')).toHaveTextContent(/^Shortest interval: Tradier sandbox allows 60 standard \(account\) endpoints requests a minute; a tick with 1 symbol makes up to 3 .* every 4 s or slower/);
    await userEvent.fill(page.getByRole('textbox', { name: /Poll the broker every/ }), '2');
    await expect.element(page.getByRole('status').filter({ hasText: /^Polls every 4 s, not 2 s: Tradier sandbox allows 60/ })).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Deploy to Tradier sandbox' }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await expect.element(page.getByText(`tradier-sandbox, account ${env.account}`)).toBeVisible();

    // The clock stands inside the first live bar: once it completes, the first live step buys.
    let s = await bar();
    s = await until(state, (x) => x.posts === 1);
    s = await bar();
    s = await until(state, (x) => x.position > 0 && x.ticks >= s.ticks + 1);
    expect(s.orders[0]).toMatchObject({ status: 'filled', side: 'buy' });
    await expect.element(page.getByRole('table', { name: 'Positions' })).toHaveTextContent(new RegExp(`SPY${s.position}`));
    await expect.element(page.getByRole('table', { name: 'Fills' })).toHaveTextContent(new RegExp(`SPYbuy${s.position}`));

    // Reload: the page and its worker go away; the deployment reopens with the keys saved for tradier-sandbox.
    cleanup();
    stopLiveWorker();
    await openLiveApp(doc);
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await expect.element(page.getByRole('table', { name: 'Positions' })).toHaveTextContent(new RegExp(`SPY${s.position}`));
    const ticks = s.ticks;
    await until(state, (x) => x.ticks >= ticks + 1); // polling Tradier again

    await userEvent.click(page.getByRole('checkbox', { name: 'and flatten every position' }));
    await userEvent.click(page.getByRole('button', { name: /^Kill/ }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/paused/);
    s = await until(state, (x) => x.posts === 2);
    s = await bar();
    s = await until(state, (x) => x.position === 0);
    expect(s.orders.map((o) => o.side)).toEqual(['buy', 'sell']);
    expect(s.posts).toBe(2);
    await expect.element(page.getByText('No position.')).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Stop' }));
    expect((await loadKeys('tradier-sandbox'))).toEqual({ accountId: env.account, token: env.token });
    await expectNowhere([env.token!]);
  }, 240_000);

  it('live at Tradier and at TradeStation needs the account named: Deploy stays off until the number the broker reports is typed back; nothing is sent', async () => {
    for (const [broker, radio] of [['tradier', 'Tradier live (real money)'], ['tradestation', 'TradeStation live (real money)']] as const) {
      const env = await control<Env>('env', { broker, origin: location.origin });
      await saveProxySettings({ url: env.proxyUrl });
      await openLiveApp(buyOnce());
      await userEvent.click(page.getByRole('radio', { name: radio }));
      await userEvent.fill(page.getByRole('textbox', { name: 'Account number' }), env.account);
      await userEvent.fill(page.getByLabelText(broker === 'tradier' ? 'Access token' : 'Refresh token'), (env.token ?? env.refreshToken)!);
      const deploy = page.getByRole('button', { name: 'Deploy live' });
      await expect.element(deploy).toBeDisabled();
      await userEvent.click(page.getByRole('button', { name: 'Check the account' }));
      await expect.element(page.getByText(new RegExp(`This trades real money on ${broker === 'tradier' ? 'Tradier' : 'TradeStation'} live account ${env.account}`))).toBeVisible();
      await userEvent.fill(page.getByRole('textbox', { name: 'Confirm the account number' }), `${env.account}X`);
      await expect.element(deploy).toBeDisabled();
      await userEvent.fill(page.getByRole('textbox', { name: 'Confirm the account number' }), env.account);
      await expect.element(deploy).toBeEnabled();
      expect((await state()).posts).toBe(0);
      cleanup();
      await saveProxySettings(null);
    }
  }, 120_000);
});
