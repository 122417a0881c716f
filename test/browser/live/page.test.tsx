/**
 * The Live page (#/live) in real Chromium, on the app shell: deploy the current document to practice on the
 * embedded data, reload mid-run (the page unmounted and its worker terminated, then the app opened again),
 * divergence and explain on the live history, and the kill switch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { loadEmbeddedBars } from '../../../src/data/embedded/browser.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { IdbJournal, listDeployments } from '../../../src/live/browser/idb-journal.ts';
import { embeddedFor } from '../../../src/live/connect.ts';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { stopLiveWorker } from '../../../src/ui/live/client.ts';
import { formatMoney } from '../../../src/ui/results/format.ts';
import { cleanup } from '../ui/render.tsx';
import { freshLiveState, leaveLivePage, openLiveApp } from './live-app.tsx';

async function sma(): Promise<StrategyDocument> {
  const r = parseDocument(await (await fetch('/strategies/sma-cross.json')).json());
  if (!r.ok) throw new Error('template invalid');
  return { ...r.doc, settings: { ...r.doc.settings, range: { to: '2002-12-31' } } };
}

const text = (testId: string) => page.getByTestId(testId).element().textContent ?? '';

async function waitFor(ok: () => boolean, ms = 90_000) {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out; state: ${document.querySelector('[data-testid=live-state]')?.textContent}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(freshLiveState);
afterEach(leaveLivePage);

describe('Live page', () => {
  it('deploys to practice, survives a reload mid-run without a second order, ends equal to the backtest, and explains a live decision', async () => {
    const doc = await sma();
    await openLiveApp(doc);
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Replay speed' }), '20 bars a second');
    await userEvent.click(page.getByRole('button', { name: 'Deploy to practice' }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await waitFor(() => Number(text('live-order-count')) >= 2);

    // Reload: the page and its worker go away mid-run; the app opens again on #/live.
    cleanup();
    stopLiveWorker();
    await openLiveApp(doc);
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    expect(Number(text('live-order-count'))).toBeGreaterThanOrEqual(2);
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Deployment speed' }), 'as fast as it goes');
    await waitFor(() => text('live-state').startsWith('ended'));

    const bt = runBacktest(doc, { bars: embeddedFor(doc, await loadEmbeddedBars()).bars }, { sizing: 'signal' });
    await expect.element(page.getByTestId('live-equity')).toHaveTextContent(formatMoney(bt.stats.finalEquity));
    expect(Number(text('live-order-count'))).toBe(bt.orders.length);
    const [rec] = await listDeployments();
    const sent = (await new IdbJournal(rec!.id).read()).flatMap((e) => (e.type === 'sent' ? [e.clientOrderId] : []));
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.length).toBe(bt.orders.filter((o) => o.status !== 'rejected').length);

    await userEvent.click(page.getByRole('button', { name: 'Compare with the backtest of the same bars' }));
    await expect.element(page.getByTestId('live-divergence')).toHaveTextContent(
      `0 day(s) with different decisions; mean fill slippage against the model 0.00 bps; final equity ${formatMoney(bt.stats.finalEquity)} live against ${formatMoney(bt.stats.finalEquity)} in the backtest.No day differs.`,
    );

    // The equity chart against the backtest of the same bars sits with the report.
    await expect.element(page.getByRole('button', { name: 'Save Equity: live against the backtest as PNG' })).toBeVisible();
    expect(document.querySelector('.live-deployment figure.chart canvas')).not.toBeNull();

    const signal = bt.signals[0]!;
    await userEvent.fill(page.getByRole('textbox', { name: 'Explain time' }), new Date(signal.time).toISOString().slice(0, 10));
    await userEvent.click(page.getByRole('button', { name: 'Explain', exact: true }));
    await expect.element(page.getByRole('heading', { name: new RegExp(`${signal.strategyId}: acted`) })).toBeVisible();
  });

  it('kill switch with flatten: pauses, cancels, closes the position, and later orders are refused', async () => {
    const doc = await sma();
    await openLiveApp(doc);
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Replay speed' }), '20 bars a second');
    await userEvent.click(page.getByRole('button', { name: 'Deploy to practice' }));
    await expect.element(page.getByRole('table', { name: 'Positions' }), { timeout: 60_000 }).toBeVisible();
    await userEvent.click(page.getByRole('checkbox', { name: 'and flatten every position' }));
    await userEvent.click(page.getByRole('button', { name: /^Kill/ }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/paused/);
    await expect.element(page.getByText('No position.'), { timeout: 30_000 }).toBeVisible();
    await expect.element(page.getByRole('table', { name: 'Orders' })).toHaveTextContent(/flatten \(kill switch\)/);
    await expect.element(page.getByRole('table', { name: 'Audit' })).toHaveTextContent(/cancelled open orders, flattening 1 position/);
    await userEvent.click(page.getByRole('button', { name: 'Stop' }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/stopped/);
  });
});
